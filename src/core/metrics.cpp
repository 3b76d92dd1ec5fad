#include "core/metrics.h"

#include <mutex>
#include <sstream>

namespace cp::metrics {

void Counter::inc(double v) {
  double cur = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}
double Counter::value() const {
  return value_.load();
}

void Gauge::add(double v) {
  double cur = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

void Histogram::observe(double v) {
  for (size_t i = 0; i < bounds_->size(); ++i) {
    if (v <= (*bounds_)[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  double cur = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

const std::vector<double>& Registry::default_latency_bounds() {
  static const std::vector<double> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return bounds;
}

std::string format_labels(const Labels& labels) {
  if (labels.empty()) {
    return "";
  }
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first + "=\"";
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Registry::Family& Registry::family(const std::string& name, const std::string& help,
                                   const std::string& type) {
  auto& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

// Each accessor: try under the shared lock, create under the exclusive lock.
#define CP_METRIC_ACCESSOR(Kind, map, type_name, ...)      \
  auto key = format_labels(labels);                        \
  {                                                        \
    std::shared_lock lock(mu_);                            \
    auto fit = families_.find(name);                       \
    if (fit != families_.end()) {                          \
      auto it = fit->second.map.find(key);                 \
      if (it != fit->second.map.end()) return *it->second; \
    }                                                      \
  }                                                        \
  std::unique_lock lock(mu_);                              \
  auto& f = family(name, help, type_name);                 \
  auto& slot = f.map[key];                                 \
  if (!slot) slot = std::make_unique<Kind>(__VA_ARGS__);   \
  return *slot;

Counter& Registry::counter(const std::string& name, const std::string& help,
                           const Labels& labels){CP_METRIC_ACCESSOR(Counter, counters, "counter")}

Gauge& Registry::gauge(const std::string& name, const std::string& help,
                       const Labels& labels){CP_METRIC_ACCESSOR(Gauge, gauges, "gauge")}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, const std::vector<double>& bounds) {
  auto key = format_labels(labels);
  {
    std::shared_lock lock(mu_);
    auto fit = families_.find(name);
    if (fit != families_.end()) {
      auto it = fit->second.histograms.find(key);
      if (it != fit->second.histograms.end()) return *it->second;
    }
  }
  std::unique_lock lock(mu_);
  auto& f = family(name, help, "histogram");
  if (f.bounds.empty()) f.bounds = bounds;
  auto& slot = f.histograms[key];
  if (!slot) slot = std::make_unique<Histogram>(&f.bounds);
  return *slot;
}
#undef CP_METRIC_ACCESSOR

namespace {
// HELP text may not contain raw newlines (they would end the comment line); escape as the
// format requires.
std::string escape_help(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string with_label(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}
}  // namespace

std::string Registry::render() const {
  std::ostringstream out;
  out.precision(17);
  std::shared_lock lock(mu_);
  for (const auto& [name, f] : families_) {
    out << "# HELP " << name << ' ' << escape_help(f.help) << "\n# TYPE " << name << ' ' << f.type
        << '\n';
    for (const auto& [labels, c] : f.counters) out << name << labels << ' ' << c->value() << '\n';
    for (const auto& [labels, g] : f.gauges) out << name << labels << ' ' << g->value() << '\n';
    for (const auto& [labels, h] : f.histograms) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h->bounds().size(); ++i) {
        cumulative += h->bucket(i);
        std::ostringstream le;
        le << h->bounds()[i];
        out << name << "_bucket" << with_label(labels, "le=\"" + le.str() + "\"") << ' '
            << cumulative << '\n';
      }
      out << name << "_bucket" << with_label(labels, "le=\"+Inf\"") << ' ' << h->count() << '\n';
      out << name << "_sum" << labels << ' ' << h->sum() << '\n';
      out << name << "_count" << labels << ' ' << h->count() << '\n';
    }
  }
  return out.str();
}

}  // namespace cp::metrics
