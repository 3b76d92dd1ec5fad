#include <vector>

#include "platform/event_bus.h"

namespace cp::events {
namespace {

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    words.push_back(s.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return words;
    start = dot + 1;
  }
}

// Dynamic programming over (pattern word, key word) so "#.#.#" stays linear-ish, not exponential.
bool match_words(const std::vector<std::string_view>& p, const std::vector<std::string_view>& k) {
  // can[j] = the first i pattern words can match the first j key words.
  std::vector<char> can(k.size() + 1, 0), next(k.size() + 1, 0);
  can[0] = 1;
  for (size_t i = 0; i < p.size(); ++i) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t j = 0; j <= k.size(); ++j) {
      if (p[i] == "#") {
        // '#' absorbs zero words (can[j]) or one more word (next[j-1]).
        next[j] = can[j] || (j > 0 && next[j - 1]);
      } else if (j > 0 && can[j - 1] && (p[i] == "*" || p[i] == k[j - 1])) {
        next[j] = 1;
      }
    }
    can.swap(next);
  }
  return can[k.size()];
}

}  // namespace

bool topic_matches(std::string_view pattern, std::string_view routing_key) {
  if (pattern == "#") return true;
  return match_words(split_words(pattern), split_words(routing_key));
}

}  // namespace cp::events
