#pragma once
// Test-only: finds the simulated devices a `cloudphone` process runs as children, so process
// tests can kill one (-9) or check that none is left. Header-only; Linux /proc.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace cp::devicesim::testing {

// Pids of the devicesim children of `parent` whose command line names `device_id`.
inline std::vector<int> simulator_pids(int parent, const std::string& device_id) {
  std::vector<int> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) != 2 || ppid != parent ||
        state == 'Z')
      continue;
    std::ifstream cmd(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmd)), {});
    if (args.find("devicesim") != std::string::npos && args.find(device_id) != std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

}  // namespace cp::devicesim::testing
