#include "app/commands.h"

#include <iostream>

#include "app/app_config.h"
#include "app/service_registry.h"
#include "core/identity_codec.h"
#include "core/log.h"
#include "services/gateway/gateway.h"
#include "services/gateway/system_service.h"
#include "services/host/service_host.h"
#include "services/user/bootstrap.h"
#include "services/user/user_service.h"

namespace cp::app {

namespace {

std::vector<std::string> all_service_names() {
  std::vector<std::string> names;
  for (const auto& e : service_registry()) names.push_back(e.name);
  return names;
}

// API keys are looked up through the user service, wherever it runs.
gateway::ApiKeyLookup api_key_lookup(services::ServiceClients& clients) {
  return [&clients](const std::string& key) -> std::optional<http::Identity> {
    auto res =
        clients.call("user", http::Method::post, "/api/v1/auth/api-keys/verify",
                     boost::json::object{{"key", key}}, services::internal_identity("gateway"));
    if (res.result() == http::Status::ok) {
      boost::system::error_code ec;
      auto v = boost::json::parse(res.body(), ec);
      if (!ec && v.is_object()) return http::identity_from_json(v.as_object());
    }
    if (res.result_int() >= 500) {
      throw http::unavailable("cannot verify API keys right now");
    }
    return std::nullopt;
  };
}

uint16_t start_gateway(services::ServiceHost& host) {
  auto& ctx = host.context();
  const auto& config = host.config();
  gateway::GatewayDeps deps{ctx.clients,
                            ctx.cache,
                            api_key_lookup(ctx.clients),
                            config.get("auth.jwt_secret"),
                            [&host] { return host.ready(); },
                            [&host] { return host.openapi(); }};
  deps.bus = &ctx.bus;  // live events for the consoles (WS /api/v1/events/ws)
  auto options = gateway::GatewayOptions::from_config(config);
  auto pipeline = gateway::make_gateway_pipeline(options, std::move(deps));
  return host.listen(config.get("gateway.host"),
                     static_cast<uint16_t>(config.get_int("gateway.port", 30000)), pipeline);
}

void print_admin_login(const std::string& username, const user::EnsureAdminResult& admin,
                       uint16_t port) {
  std::cout << "\n  cloudphone is running: http://localhost:" << port << "\n";
  if (admin.created && admin.generated_password) {
    std::cout << "  First start: an administrator was created.\n"
              << "    username: " << username << "\n"
              << "    password: " << *admin.generated_password << "\n"
              << "  (shown once; change it after logging in, or run `cloudphone admin "
                 "reset-password`)\n";
  }
  std::cout << "  API docs: http://localhost:" << port << "/docs\n\n" << std::flush;
}

int run_host(Config config, const std::vector<std::string>& local, bool with_gateway,
             bool service_ports) {
  init_logging(config.get("log.level", "info"), config.get("log.format", "json") == "json");
  services::ServiceHost host(config);
  auto& ctx = host.open_backends();
  migrate_services(ctx, local);
  for (const auto& name : local) host.add(find_service(name)->make(ctx));
  if (with_gateway) {  // the gateway's own API (GET /api/v1/system/config)
    std::string command = service_ports ? "serve gateway" : "up";
    for (const auto& name : local) command += service_ports ? " " + name : "";
    host.add(gateway::make_system_service(
        ctx, {CP_VERSION, command, all_service_names(), [&host] { return host.readiness(); }}));
  }
  host.add_remote_services(all_service_names());
  std::optional<user::EnsureAdminResult> admin;
  if (find_service("user") && std::find(local.begin(), local.end(), "user") != local.end()) {
    admin = user::ensure_admin(ctx.core_db, config.get("admin.username"), std::nullopt);
  }
  host.start();
  uint16_t gateway_port = 0;
  if (with_gateway) gateway_port = start_gateway(host);
  if (service_ports) {
    for (const auto& name : local) {
      auto port =
          static_cast<uint16_t>(config.get_int(name + ".port", services::default_port(name)));
      auto bound =
          host.listen(config.get(name + ".host", "0.0.0.0"), port, host.service_pipeline(name));
      log_event(spdlog::level::info, "host", "service listening",
                {{"service", name}, {"port", bound}});
    }
  }
  if (with_gateway) {
    print_admin_login(config.get("admin.username"), admin.value_or(user::EnsureAdminResult{}),
                      gateway_port);
  } else if (admin && admin->generated_password) {
    std::cout << "administrator created: " << config.get("admin.username") << " / "
              << *admin->generated_password << std::endl;
  }
  log_event(spdlog::level::info, "host", "started", {{"gateway_port", gateway_port}});
  services::ServiceHost::wait_for_shutdown_signal();
  host.stop();
  return 0;
}

}  // namespace

void add_up_command(CLI::App& app, char** envp, int& exit_code) {
  auto* cmd =
      app.add_subcommand("up", "Run the whole platform in one process on embedded defaults");
  auto config_file = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *config_file, "YAML configuration file");
  cmd->callback([envp, config_file, &exit_code] {
    auto config = load_config(*config_file, envp);
    apply_embedded_defaults(config);
    exit_code = run_host(config, all_service_names(), true, false);
  });
}

void add_serve_command(CLI::App& app, char** envp, int& exit_code) {
  auto* cmd =
      app.add_subcommand("serve", "Run the named services (and/or gateway) in this process");
  auto names = std::make_shared<std::vector<std::string>>();
  auto config_file = std::make_shared<std::string>();
  cmd->add_option("services", *names, "gateway, user, device, app, scheduler, billing, ...")
      ->required();
  cmd->add_option("-c,--config", *config_file, "YAML configuration file");
  cmd->callback([envp, names, config_file, &exit_code] {
    auto config = load_config(*config_file, envp);
    apply_embedded_defaults(config);
    bool gateway = false;
    std::vector<std::string> local;
    for (const auto& n : *names) {
      if (n == "gateway") {
        gateway = true;
      } else if (find_service(n)) {
        local.push_back(n);
      } else {
        throw CLI::ValidationError("services", "unknown service: " + n);
      }
    }
    exit_code = run_host(config, local, gateway, true);
  });
}

void add_migrate_command(CLI::App& app, char** envp, int& exit_code) {
  auto* cmd = app.add_subcommand("migrate", "Apply database migrations of every service and exit");
  auto config_file = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *config_file, "YAML configuration file");
  cmd->callback([envp, config_file, &exit_code] {
    auto config = load_config(*config_file, envp);
    apply_embedded_defaults(config);
    init_logging(config.get("log.level", "info"));
    services::ServiceHost host(config);
    migrate_services(host.open_backends(), all_service_names());
    std::cout << "migrations applied\n";
    exit_code = 0;
  });
}

void add_admin_command(CLI::App& app, char** envp, int& exit_code) {
  auto* cmd = app.add_subcommand("admin", "Administrator accounts");
  cmd->require_subcommand(1);
  auto config_file = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *config_file, "YAML configuration file");
  auto username = std::make_shared<std::string>("admin");
  auto password = std::make_shared<std::string>();
  auto* create =
      cmd->add_subcommand("create", "Create a super_admin (prints a generated password)");
  create->add_option("--username", *username);
  create->add_option("--password", *password, "default: generated");
  auto* reset = cmd->add_subcommand("reset-password", "Set a new random password for a user");
  reset->add_option("--username", *username)->required();
  auto open = [envp, config_file](services::ServiceHost& host) -> services::ServiceContext& {
    auto& ctx = host.open_backends();
    migrate_services(ctx, {"user"});
    return ctx;
  };
  create->callback([=, &exit_code] {
    auto config = load_config(*config_file, envp);
    apply_embedded_defaults(config);
    init_logging("warn");
    services::ServiceHost host(config);
    auto& ctx = open(host);
    auto result = user::ensure_admin(
        ctx.core_db, *username,
        password->empty() ? std::nullopt : std::optional<std::string>(*password));
    if (!result.created) {
      std::cerr << "user " << *username << " already exists\n";
      exit_code = 1;
      return;
    }
    std::cout << "username: " << *username
              << "\npassword: " << result.generated_password.value_or(*password) << "\n";
  });
  reset->callback([=, &exit_code] {
    auto config = load_config(*config_file, envp);
    apply_embedded_defaults(config);
    init_logging("warn");
    services::ServiceHost host(config);
    auto& ctx = open(host);
    try {
      auto new_password = user::reset_password(ctx.core_db, *username);
      std::cout << "username: " << *username << "\npassword: " << new_password << "\n";
    } catch (const std::runtime_error& e) {
      std::cerr << e.what() << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace cp::app
