#pragma once
// Configuration for the cloudphone process: embedded defaults (`up`: everything on local files
// under a data directory, secrets generated once and kept there) under a YAML file and
// CLOUDPHONE_* environment variables.
#include <string>

#include "core/config.h"

namespace cp::app {

// Loads config file + env over the defaults. `data_dir` holds SQLite files, secrets, objects.
Config load_config(const std::string& yaml_path, char** envp);
// Fills what `up` needs and nobody configured: sqlite URLs under data.dir, generated secrets.
void apply_embedded_defaults(Config& config);

}  // namespace cp::app
