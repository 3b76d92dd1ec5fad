#pragma once
// Prometheus metrics: counter and histogram families with labels, rendered in the text
// exposition format at /metrics. Lookups of an existing series take a shared lock only;
// increments are atomics, so the hot path stays cheap under load.
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace cp::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(double v = 1.0);
  double value() const;

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v); }
  void add(double v);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds)
      : bounds_(bounds), buckets_(bounds->size()) {}
  void observe(double v);
  const std::vector<double>& bounds() const { return *bounds_; }
  uint64_t bucket(size_t i) const { return buckets_[i].load(); }
  uint64_t count() const { return count_.load(); }
  double sum() const { return sum_.load(); }

 private:
  const std::vector<double>* bounds_;
  std::vector<std::atomic<uint64_t>> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class Registry {
 public:
  static Registry& global();
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       const std::vector<double>& bounds = default_latency_bounds());
  std::string render() const;  // Prometheus text format 0.0.4
  static const std::vector<double>& default_latency_bounds();

 private:
  struct Family {
    std::string help;
    std::string type;
    std::vector<double> bounds;
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(const std::string& name, const std::string& help, const std::string& type);
  mutable std::shared_mutex mu_;
  std::map<std::string, Family> families_;
};

// {a="x",b="y"} with escaping; empty labels → "".
std::string format_labels(const Labels& labels);

}  // namespace cp::metrics
