#pragma once
// Every service the binary can run: how to build it and which migrations it owns.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/service.h"

namespace cp::app {

struct ServiceEntry {
  std::string name;
  bool uses_billing_db = false;
  std::function<std::unique_ptr<services::Service>(services::ServiceContext&)> make;
  std::function<void(services::ServiceContext&)> migrate;
};

const std::vector<ServiceEntry>& service_registry();
const ServiceEntry* find_service(const std::string& name);
// Applies the migrations of the named services to their databases.
void migrate_services(services::ServiceContext& ctx, const std::vector<std::string>& names);

}  // namespace cp::app
