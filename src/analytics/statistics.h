// File: analytics/statistics.h
//
// The one place where Mittari's numbers are defined: Net Promoter Score with its adjusted-Wald
// interval, the top-2-box share of a 1–5 scale with its Wilson interval, and small-group
// suppression. Every report, whatever asks for it, gets its figures from these functions, so
// two screens can never disagree about what "NPS" means.
//
// Accumulators follow Init / Update / Combine / Finalize: a default-constructed accumulator is
// the identity, Add() folds in one answer, Combine() merges partial results (per thread, per
// segment, per append) and Estimate*() finalises.
//
// Thread-compatible value types; the functions are pure.
#pragma once

#include <cstdint>
#include <optional>

namespace mittari {

inline constexpr int kDefaultMinN = 10;          // groups smaller than this are suppressed
inline constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

// Promoters score 9–10, passives 7–8, detractors 0–6.
struct NpsCounts {
  int64_t promoters = 0;
  int64_t passives = 0;
  int64_t detractors = 0;

  int64_t n() const { return promoters + passives + detractors; }
  void Add(int score) {
    if (score >= 9) {
      ++promoters;
    } else if (score >= 7) {
      ++passives;
    } else {
      ++detractors;
    }
  }
  void Combine(const NpsCounts& other) {
    promoters += other.promoters;
    passives += other.passives;
    detractors += other.detractors;
  }
  bool operator==(const NpsCounts&) const = default;
};

struct Estimate {
  double value = 0;    // the point estimate: plain NPS (−100..100) or share (0..100 %)
  double se = 0;       // standard error on the same scale
  double ci_low = 0;   // 95% interval, clamped to the scale's range
  double ci_high = 0;
};

// NPS = 100·(P − D)/n, with the adjusted-Wald 95% interval (Rocks 2016): n′ = n + 3,
// p′ = (P + 0.75)/n′, d′ = (D + 0.75)/n′, SE = 100·sqrt((p′ + d′ − (p′ − d′)²)/n′), interval
// 100·(p′ − d′) ± z·SE clamped to [−100, 100]. The point estimate stays the plain NPS.
// Returns nullopt when n = 0 (there is no NPS of nobody).
std::optional<Estimate> EstimateNps(const NpsCounts& counts);

// Answers on a 1–5 scale; the top-2 box is 4–5.
struct ShareCounts {
  int64_t hits = 0;
  int64_t n = 0;

  void Add(bool hit) {
    hits += hit ? 1 : 0;
    ++n;
  }
  void Combine(const ShareCounts& other) {
    hits += other.hits;
    n += other.n;
  }
  bool operator==(const ShareCounts&) const = default;
};

// Share = 100·hits/n with the Wilson score 95% interval. SE is the plain binomial
// 100·sqrt(p(1−p)/n). Returns nullopt when n = 0.
std::optional<Estimate> EstimateShare(const ShareCounts& counts);

// True when a group of n answers must not be shown (n < min_n). An empty group is not shown
// at all, so it is not "suppressed" either.
inline bool IsSuppressed(int64_t n, int min_n) { return n > 0 && n < min_n; }

}  // namespace mittari
