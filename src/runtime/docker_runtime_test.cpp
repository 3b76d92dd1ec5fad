// The docker runtime without an engine: the create bodies both profiles build (Redroid boot
// arguments on the command line), the log-frame decoder, inspect → status mapping, and the
// requests and error messages of the runtime against a recording fake transport.
#include "runtime/docker_runtime.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <deque>

namespace cp::runtime {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

RuntimeSpec redroid_spec() {
  RuntimeSpec s;
  s.device_id = "dev_01abc";
  s.android_version = "13";
  s.width = 1080;
  s.height = 1920;
  s.dpi = 480;
  s.fps = 60;
  s.cpu_cores = 4;
  s.memory_mb = 4096;
  s.model = "Pixel 7";
  s.env = {{"TZ", "UTC"}};
  s.labels = {{"cloudphone.owner", "usr_1"}};
  return s;
}

json::array strings(std::initializer_list<const char*> items) {
  json::array a;
  for (auto* s : items) a.emplace_back(s);
  return a;
}

TEST(DockerCreateBody, RedroidBootArgumentsOnTheCommandLine) {
  DockerRuntimeOptions opt;
  opt.profile = DockerProfile::redroid;
  auto body = build_create_body(opt, redroid_spec());
  EXPECT_EQ(body.at("Image"), "redroid/redroid:13.0.0-latest");
  EXPECT_EQ(body.at("Cmd"), strings({"androidboot.redroid_width=1080", "androidboot.redroid_height=1920",
                                     "androidboot.redroid_dpi=480", "androidboot.redroid_fps=60",
                                     "androidboot.redroid_gpu_mode=guest", "androidboot.use_memfd=true",
                                     "ro.product.model=Pixel 7", "ro.serialno=dev_01abc"}));
  // Boot configuration is not (only) in the environment.
  EXPECT_EQ(body.at("Env"), strings({"TZ=UTC"}));
  const auto& hc = body.at("HostConfig").as_object();
  EXPECT_EQ(hc.at("Privileged"), true);
  EXPECT_EQ(hc.at("NanoCpus").as_int64(), 4'000'000'000);
  EXPECT_EQ(hc.at("Memory").as_int64(), 4096LL * 1024 * 1024);
  EXPECT_EQ(json::serialize(hc.at("PortBindings")), R"({"5555/tcp":[{"HostIp":"127.0.0.1","HostPort":""}]})");
  EXPECT_EQ(json::serialize(body.at("ExposedPorts")), R"({"5555/tcp":{}})");
  const auto& labels = body.at("Labels").as_object();
  EXPECT_EQ(labels.at("cloudphone.device"), "dev_01abc");
  EXPECT_EQ(labels.at("cloudphone.owner"), "usr_1");
  EXPECT_EQ(labels.at("cloudphone.profile"), "redroid");
  EXPECT_TRUE(labels.contains("cloudphone.spec"));
  EXPECT_FALSE(hc.contains("NetworkMode"));
}

TEST(DockerCreateBody, RedroidExplicitVersionAndImage) {
  DockerRuntimeOptions opt;
  auto spec = redroid_spec();
  spec.android_version = "11.0.0";
  EXPECT_EQ(image_for(opt, spec), "redroid/redroid:11.0.0-latest");
  opt.image = "registry.local/redroid:13";
  EXPECT_EQ(image_for(opt, spec), "registry.local/redroid:13");
  spec.image = "cloudphone/snapshot:snp_1";  // restore into a new device
  EXPECT_EQ(image_for(opt, spec), "cloudphone/snapshot:snp_1");
}

TEST(DockerCreateBody, SimulatorProfile) {
  DockerRuntimeOptions opt;
  opt.profile = DockerProfile::simulator;
  opt.image = "cloudphone/devicesim:t1";
  opt.publish_ip = "";
  opt.network_mode = "bridge";
  auto spec = redroid_spec();
  spec.model = "";
  auto body = build_create_body(opt, spec);
  EXPECT_EQ(body.at("Image"), "cloudphone/devicesim:t1");
  EXPECT_EQ(body.at("Cmd"), strings({"--host", "0.0.0.0", "--port", "5555", "--state-dir", "/data", "--width",
                                     "1080", "--height", "1920", "--dpi", "480", "--fps", "60",
                                     "--android-version", "13", "--serial", "dev_01abc"}));
  const auto& hc = body.at("HostConfig").as_object();
  EXPECT_EQ(hc.at("Privileged"), false);
  EXPECT_EQ(hc.at("NetworkMode"), "bridge");
  EXPECT_EQ(json::serialize(hc.at("PortBindings")), R"({"5555/tcp":[{"HostIp":"","HostPort":""}]})");
  EXPECT_EQ(body.at("Labels").at("cloudphone.profile"), "simulator");
}

TEST(DockerCreateBody, SimulatorWithoutImageIsAClearError) {
  DockerRuntimeOptions opt;
  opt.profile = DockerProfile::simulator;
  EXPECT_THROW(build_create_body(opt, redroid_spec()), RuntimeError);
  EXPECT_THROW(parse_docker_profile("kvm"), std::invalid_argument);
}

std::string frame(int stream, std::string_view payload) {
  std::string f{static_cast<char>(stream), 0, 0, 0};
  auto n = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) f.push_back(static_cast<char>((n >> shift) & 0xff));
  return f + std::string(payload);
}

TEST(DockerLogFrames, DecodesStdoutAndStderrInOrder) {
  std::string out;
  EXPECT_TRUE(decode_log_frames(frame(1, "hello\n") + frame(2, "oops\n") + frame(1, ""), out));
  EXPECT_EQ(out, "hello\noops\n");
  std::string big(70000, 'x');
  out.clear();
  EXPECT_TRUE(decode_log_frames(frame(1, big), out));
  EXPECT_EQ(out, big);
}

TEST(DockerLogFrames, TruncatedOrRawStreamIsReported) {
  std::string out;
  auto data = frame(1, "complete\n") + frame(1, "cut short");
  data.resize(data.size() - 3);
  EXPECT_FALSE(decode_log_frames(data, out));
  EXPECT_EQ(out, "complete\ncut sh");
  out.clear();
  EXPECT_FALSE(decode_log_frames("plain tty output\n", out));
  EXPECT_TRUE(decode_log_frames("", out));
}

json::object inspect_doc(const std::string& status, int exit_code, bool oom = false,
                         const std::string& port = "") {
  json::object ports;
  if (!port.empty()) ports["5555/tcp"] = json::array{json::object{{"HostIp", "127.0.0.1"}, {"HostPort", port}}};
  return {{"State", {{"Status", status}, {"ExitCode", exit_code}, {"OOMKilled", oom}, {"Pid", 42}, {"Error", ""}}},
          {"NetworkSettings", {{"Ports", ports}}}};
}

TEST(DockerStatus, MapsEngineStates) {
  auto running = status_from_inspect(inspect_doc("running", 0, false, "40123"), "10.0.0.5", false);
  EXPECT_EQ(running.state, InstanceState::running);
  EXPECT_EQ(running.endpoint, (AdbEndpoint{"10.0.0.5", 40123}));
  EXPECT_EQ(running.pid, 42);
  EXPECT_EQ(status_from_inspect(inspect_doc("created", 0), "h", false).state, InstanceState::created);
  EXPECT_EQ(status_from_inspect(inspect_doc("exited", 143), "h", true).state, InstanceState::stopped);
  auto crashed = status_from_inspect(inspect_doc("exited", 137), "h", false);
  EXPECT_EQ(crashed.state, InstanceState::failed);
  EXPECT_EQ(crashed.reason, "exited with code 137");
  EXPECT_EQ(status_from_inspect(inspect_doc("exited", 137, true), "h", false).reason, "killed: out of memory");
}

// Records every request; answers from a queue of canned responses.
struct FakeTransport : EngineTransport {
  std::vector<http::Request>* seen;
  std::deque<http::Response>* answers;
  http::Response send(http::Request req, std::chrono::milliseconds) override {
    seen->push_back(req);
    if (answers->empty()) throw EngineUnreachable("no canned answer for " + std::string(req.target()));
    auto res = answers->front();
    answers->pop_front();
    return res;
  }
  std::string describe() const override { return "fake://engine"; }
};

http::Response answer(int status, std::string body) {
  http::Response res{static_cast<http::bhttp::status>(status), 11};
  res.body() = std::move(body);
  return res;
}

class DockerRuntimeFakeTest : public ::testing::Test {
 protected:
  DockerRuntime make(DockerProfile profile = DockerProfile::simulator) {
    DockerRuntimeOptions opt;
    opt.host = "unix:///nonexistent.sock";
    opt.profile = profile;
    opt.image = profile == DockerProfile::simulator ? "cloudphone/devicesim:t" : "";
    auto t = std::make_unique<FakeTransport>();
    t->seen = &seen;
    t->answers = &answers;
    return DockerRuntime(opt, std::move(t));
  }
  std::vector<http::Request> seen;
  std::deque<http::Response> answers;
};

TEST_F(DockerRuntimeFakeTest, CreateSendsTheBodyUnderTheDeviceName) {
  auto rt = make(DockerProfile::redroid);
  answers = {answer(404, R"({"message":"no such container"})"), answer(201, R"({"Id":"abc","Warnings":[]})")};
  EXPECT_EQ(rt.create(redroid_spec()), "cp-dev_01abc");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target(), "/v1.41/containers/cp-dev_01abc/json");
  EXPECT_EQ(seen[1].method(), http::Method::post);
  EXPECT_EQ(seen[1].target(), "/v1.41/containers/create?name=cp-dev_01abc");
  EXPECT_EQ(json::parse(seen[1].body()), json::value(build_create_body({}, redroid_spec())));
}

TEST_F(DockerRuntimeFakeTest, CreateAgainReturnsTheSameContainer) {
  auto rt = make();
  answers = {answer(200, json::serialize(inspect_doc("running", 0, false, "4000")))};
  EXPECT_EQ(rt.create(redroid_spec()), "cp-dev_01abc");
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(DockerRuntimeFakeTest, MissingImageIsAClearError) {
  auto rt = make();
  answers = {answer(404, "{}"), answer(404, R"({"message":"no such image: cloudphone/devicesim:t"})")};
  try {
    rt.create(redroid_spec());
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("image 'cloudphone/devicesim:t' not found"), std::string::npos) << e.what();
  }
}

TEST_F(DockerRuntimeFakeTest, StartReadsThePublishedPort) {
  auto rt = make();
  answers = {answer(204, ""), answer(200, json::serialize(inspect_doc("running", 0, false, "41234")))};
  EXPECT_EQ(rt.start("cp-dev_1"), (AdbEndpoint{"127.0.0.1", 41234}));
  EXPECT_EQ(seen[0].target(), "/v1.41/containers/cp-dev_1/start");
}

TEST_F(DockerRuntimeFakeTest, StopThenInspectIsStoppedNotFailed) {
  auto rt = make();
  answers = {answer(204, ""), answer(200, json::serialize(inspect_doc("exited", 143)))};
  rt.stop("cp-dev_1", 2500ms);
  EXPECT_EQ(seen[0].target(), "/v1.41/containers/cp-dev_1/stop?t=3");
  EXPECT_EQ(rt.inspect("cp-dev_1").state, InstanceState::stopped);
}

TEST_F(DockerRuntimeFakeTest, LogsAreDemultiplexedAndCut) {
  auto rt = make();
  answers = {answer(200, frame(1, "line one\n") + frame(2, "line two\n"))};
  EXPECT_EQ(rt.logs("cp-dev_1", 9), "line two\n");
  EXPECT_EQ(seen[0].target().substr(0, 31), "/v1.41/containers/cp-dev_1/logs");
}

TEST_F(DockerRuntimeFakeTest, ListFiltersByDeviceLabel) {
  auto rt = make();
  answers = {answer(200, R"([{"Id":"1","Names":["/cp-dev_a"],"State":"running","Labels":{"cloudphone.device":"dev_a"}}])")};
  EXPECT_EQ(rt.list(), std::vector<std::string>{"cp-dev_a"});
  EXPECT_NE(std::string(seen[0].target()).find("filters=%7B%22label%22%3A%5B%22cloudphone.device%22%5D%7D"),
            std::string::npos)
      << seen[0].target();
}

TEST(DockerRuntimeUnreachable, UnixSocketMissingIsAClearError) {
  DockerRuntimeOptions opt;
  opt.host = "unix:///nonexistent/cloudphone-test.sock";
  opt.profile = DockerProfile::simulator;
  opt.image = "cloudphone/devicesim:t";
  opt.call_timeout = 2s;
  DockerRuntime rt(opt);
  try {
    rt.inspect("cp-dev_1");
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("container engine unreachable"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cloudphone-test.sock"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_engine_transport("ftp://x"), std::invalid_argument);
}

}  // namespace
}  // namespace cp::runtime
