#include "runtime/docker_api.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace cp::runtime {

namespace json = boost::json;
using std::chrono::milliseconds;

namespace {
constexpr std::string_view kApi = "/v1.41";

std::string enc(std::string_view s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

json::object parse_object(const std::string& body, const std::string& what) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) throw DockerApiError(0, what + ": engine sent malformed JSON");
  return v.as_object();
}
}  // namespace

bool decode_log_frames(std::string_view data, std::string& out) {
  size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 8) {
      out.append(data.substr(pos));
      return false;
    }
    auto stream = static_cast<unsigned char>(data[pos]);
    if (stream > 2 || data[pos + 1] != 0 || data[pos + 2] != 0 || data[pos + 3] != 0) {
      out.append(data.substr(pos));
      return false;
    }
    size_t len = 0;
    for (int i = 4; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(data[pos + i]);
    pos += 8;
    if (data.size() - pos < len) {
      out.append(data.substr(pos));
      return false;
    }
    out.append(data.substr(pos, len));
    pos += len;
  }
  return true;
}

DockerApi::DockerApi(std::unique_ptr<EngineTransport> transport)
    : DockerApi(std::move(transport), Options{}) {}
DockerApi::DockerApi(std::unique_ptr<EngineTransport> transport, Options options)
    : transport_(std::move(transport)), options_(options) {}

http::Response DockerApi::call(http::Method method, const std::string& target,
                               std::optional<json::value> body,
                               std::optional<milliseconds> timeout) {
  http::Request req{method, std::string(kApi) + target, 11};
  if (body) {
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = json::serialize(*body);
  }
  return transport_->send(std::move(req), timeout.value_or(options_.timeout));
}

void DockerApi::fail(const std::string& what, const http::Response& res) {
  std::string message = res.body();
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec);
  if (!ec && v.is_object()) {
    if (auto* m = v.as_object().if_contains("message"); m && m->is_string()) message = m->as_string().c_str();
  }
  throw DockerApiError(static_cast<int>(res.result_int()),
                       what + " (" + transport_->describe() + "): HTTP " +
                           std::to_string(res.result_int()) + ": " + message);
}

void DockerApi::ping() {
  http::Request req{http::Method::get, "/_ping", 11};
  auto res = transport_->send(std::move(req), options_.timeout);
  if (res.result_int() != 200) fail("ping", res);
}

std::string DockerApi::create_container(const std::string& name, const json::object& body) {
  auto res = call(http::Method::post, "/containers/create?name=" + enc(name), json::value(body));
  if (res.result_int() != 201) fail("create container " + name, res);
  auto obj = parse_object(res.body(), "create container");
  auto* id = obj.if_contains("Id");
  if (!id || !id->is_string()) throw DockerApiError(0, "create container: no Id in the answer");
  return std::string(id->as_string());
}

void DockerApi::start(const std::string& id) {
  auto res = call(http::Method::post, "/containers/" + enc(id) + "/start");
  if (res.result_int() != 204 && res.result_int() != 304) fail("start " + id, res);
}

void DockerApi::stop(const std::string& id, std::chrono::seconds grace) {
  auto res = call(http::Method::post, "/containers/" + enc(id) + "/stop?t=" + std::to_string(grace.count()),
                  std::nullopt, options_.timeout + grace);
  if (res.result_int() != 204 && res.result_int() != 304) fail("stop " + id, res);
}

void DockerApi::restart(const std::string& id, std::chrono::seconds grace) {
  auto res = call(http::Method::post, "/containers/" + enc(id) + "/restart?t=" + std::to_string(grace.count()),
                  std::nullopt, options_.timeout + grace);
  if (res.result_int() != 204) fail("restart " + id, res);
}

std::optional<json::object> DockerApi::inspect(const std::string& id) {
  auto res = call(http::Method::get, "/containers/" + enc(id) + "/json");
  if (res.result_int() == 404) return std::nullopt;
  if (res.result_int() != 200) fail("inspect " + id, res);
  return parse_object(res.body(), "inspect " + id);
}

void DockerApi::remove(const std::string& id, bool force, bool volumes) {
  auto res = call(http::Method::delete_, "/containers/" + enc(id) + "?force=" + (force ? "true" : "false") +
                                             "&v=" + (volumes ? "true" : "false"));
  if (res.result_int() != 204 && res.result_int() != 200 && res.result_int() != 404) fail("remove " + id, res);
}

std::string DockerApi::logs(const std::string& id, int tail_lines) {
  auto res = call(http::Method::get, "/containers/" + enc(id) + "/logs?stdout=true&stderr=true&follow=false&tail=" +
                                         std::to_string(tail_lines));
  if (res.result_int() != 200) fail("logs " + id, res);
  std::string out;
  if (!decode_log_frames(res.body(), out)) return res.body();  // a TTY container: raw bytes
  return out;
}

json::object DockerApi::stats(const std::string& id) {
  auto res = call(http::Method::get, "/containers/" + enc(id) + "/stats?stream=false");
  if (res.result_int() != 200) fail("stats " + id, res);
  return parse_object(res.body(), "stats " + id);
}

std::string DockerApi::commit(const std::string& id, const std::string& repo, const std::string& tag) {
  auto res = call(http::Method::post, "/commit?container=" + enc(id) + "&repo=" + enc(repo) + "&tag=" + enc(tag) +
                                          "&pause=true",
                  json::value(json::object{}), options_.commit_timeout);
  if (res.result_int() != 201 && res.result_int() != 200) fail("commit " + id, res);
  auto obj = parse_object(res.body(), "commit " + id);
  auto* image = obj.if_contains("Id");
  return image && image->is_string() ? std::string(image->as_string()) : std::string();
}

std::optional<json::object> DockerApi::inspect_image(const std::string& ref) {
  auto res = call(http::Method::get, "/images/" + enc(ref) + "/json");
  if (res.result_int() == 404) return std::nullopt;
  if (res.result_int() != 200) fail("inspect image " + ref, res);
  return parse_object(res.body(), "inspect image " + ref);
}

void DockerApi::remove_image(const std::string& ref, bool force) {
  auto res = call(http::Method::delete_, "/images/" + enc(ref) + "?force=" + (force ? "true" : "false"));
  if (res.result_int() != 200 && res.result_int() != 404) fail("remove image " + ref, res);
}

std::vector<ContainerSummary> DockerApi::list_by_label(const std::string& label) {
  json::object filters{{"label", json::array{json::value(label)}}};
  auto res = call(http::Method::get, "/containers/json?all=true&filters=" + enc(json::serialize(filters)));
  if (res.result_int() != 200) fail("list containers", res);
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec);
  if (ec || !v.is_array()) throw DockerApiError(0, "list containers: engine sent malformed JSON");
  std::vector<ContainerSummary> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    ContainerSummary s;
    if (auto* id = o.if_contains("Id"); id && id->is_string()) s.id = id->as_string().c_str();
    if (auto* st = o.if_contains("State"); st && st->is_string()) s.state = st->as_string().c_str();
    if (auto* names = o.if_contains("Names"); names && names->is_array() && !names->as_array().empty() &&
                                              names->as_array()[0].is_string()) {
      std::string n(names->as_array()[0].as_string());
      s.name = !n.empty() && n[0] == '/' ? n.substr(1) : n;
    }
    if (auto* labels = o.if_contains("Labels"); labels && labels->is_object()) {
      for (const auto& [k, val] : labels->as_object()) {
        if (val.is_string()) s.labels[std::string(k)] = val.as_string().c_str();
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cp::runtime
