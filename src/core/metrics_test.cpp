// The /metrics text must parse as Prometheus exposition format 0.0.4: HELP/TYPE once per family,
// escaped label values, cumulative histogram buckets ending in +Inf == _count.
#include "core/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

namespace cp::metrics {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A strict-enough parser of the text format: every line is a comment or a well-formed sample.
std::vector<Sample> parse_exposition(const std::string& text) {
  static const std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+))");
  static const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\"(,|$))");
  std::vector<Sample> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, comment)) continue;
    if (!std::regex_match(line, m, sample)) {
      ADD_FAILURE() << "not a sample line: " << line;
      continue;
    }
    Sample s{m[1], {}, 0};
    std::string labels = m[3];
    for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it) {
      s.labels[(*it)[1]] = (*it)[2];
    }
    std::string value = m[4];
    s.value = value == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(value);
    out.push_back(std::move(s));
  }
  return out;
}

TEST(MetricsTest, CounterAndGaugeRender) {
  Registry reg;
  reg.counter("jobs_total", "Jobs run", {{"kind", "a"}}).inc();
  reg.counter("jobs_total", "Jobs run", {{"kind", "a"}}).inc(2);
  reg.counter("jobs_total", "Jobs run", {{"kind", "b"}}).inc();
  reg.gauge("queue_depth", "Queued").set(7);
  auto text = reg.render();
  EXPECT_NE(text.find("# HELP jobs_total Jobs run\n# TYPE jobs_total counter\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE queue_depth gauge\n"), std::string::npos);
  auto samples = parse_exposition(text);
  ASSERT_EQ(samples.size(), 3u);
  std::map<std::string, double> by_kind;
  for (const auto& s : samples) {
    if (s.name == "jobs_total") {
      by_kind[s.labels.at("kind")] = s.value;
    }
    if (s.name == "queue_depth") {
      EXPECT_EQ(s.value, 7);
    }
  }
  EXPECT_EQ(by_kind["a"], 3);
  EXPECT_EQ(by_kind["b"], 1);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Registry reg;
  reg.counter("odd_total", "Odd labels", {{"path", "a\"b\\c\nd"}}).inc();
  auto text = reg.render();
  EXPECT_NE(text.find(R"(odd_total{path="a\"b\\c\nd"} 1)"), std::string::npos) << text;
  EXPECT_EQ(parse_exposition(text).size(), 1u);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndWithInf) {
  Registry reg;
  std::vector<double> bounds{0.1, 0.5, 1};
  auto& h = reg.histogram("latency_seconds", "Latency", {{"route", "/x"}}, bounds);
  for (double v : {0.05, 0.05, 0.3, 0.7, 5.0}) h.observe(v);
  auto samples = parse_exposition(reg.render());
  std::vector<std::pair<std::string, double>> buckets;
  double sum = -1, count = -1;
  for (const auto& s : samples) {
    EXPECT_EQ(s.labels.at("route"), "/x");
    if (s.name == "latency_seconds_bucket") buckets.emplace_back(s.labels.at("le"), s.value);
    if (s.name == "latency_seconds_sum") sum = s.value;
    if (s.name == "latency_seconds_count") count = s.value;
  }
  ASSERT_EQ(buckets.size(), 4u);
  EXPECT_EQ(buckets[0], (std::pair<std::string, double>{"0.1", 2}));
  EXPECT_EQ(buckets[1], (std::pair<std::string, double>{"0.5", 3}));
  EXPECT_EQ(buckets[2], (std::pair<std::string, double>{"1", 4}));
  EXPECT_EQ(buckets[3], (std::pair<std::string, double>{"+Inf", 5}));
  EXPECT_EQ(count, 5);
  EXPECT_NEAR(sum, 6.1, 1e-9);
}

TEST(MetricsTest, BoundaryValueFallsInItsOwnBucket) {
  Registry reg;
  std::vector<double> bounds{1, 2};
  auto& h = reg.histogram("h", "h", {}, bounds);
  h.observe(1);
  EXPECT_EQ(h.bucket(0), 1u);
  EXPECT_NE(reg.render().find("h_bucket{le=\"1\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  Registry reg;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&reg] {
      for (int i = 0; i < 10000; ++i) {
        reg.counter("c_total", "c", {{"t", "x"}}).inc();
        reg.histogram("h_seconds", "h").observe(0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(reg.counter("c_total", "c", {{"t", "x"}}).value(), 40000);
  EXPECT_EQ(reg.histogram("h_seconds", "h").count(), 40000u);
}

TEST(MetricsTest, HelpTextIsEscaped) {
  Registry reg;
  reg.counter("x_total", "line one\nline two \\ end").inc();
  auto text = reg.render();
  EXPECT_NE(text.find("# HELP x_total line one\\nline two \\\\ end\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace cp::metrics
