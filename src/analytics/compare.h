// File: analytics/compare.h
//
// "Is this difference real?" for NPS: a two-period comparison (did the score change between
// an earlier and a later period?) and funnel-plot control limits (is one unit out of line with
// its parent, given how few answers it has?). Both build on analytics/statistics.h, so the
// NPS values they report are the same ones every other screen shows.
//
// Both are normal approximations. For the comparison this is Rocks' adjusted-Wald SE, which
// behaves well down to small n; the funnel limits follow Spiegelhalter (2005, "Funnel plots
// for comparing institutional performance") with the normal rather than the exact
// trinomial limits, so for a handful of answers they are only indicative.
//
// Thread-compatible value types; the functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "analytics/statistics.h"

namespace mittari {

inline constexpr double kZ998 = 3.090232306167813;  // two-sided 99.8% normal quantile

struct NpsComparison {
  Estimate first;            // EstimateNps of the earlier period
  Estimate second;           // EstimateNps of the later period
  double difference = 0;     // second.value − first.value, in plain NPS points
  double z = 0;              // difference / sqrt(first.se² + second.se²); > 0 when NPS rose
  double p_value = 1;        // two-sided, from the standard normal
  bool significant = false;  // p_value < alpha
};

// Two-sample z-test of NPS2 − NPS1 using the adjusted-Wald SEs of EstimateNps; the two periods
// are treated as independent samples (different patients). The adjusted SE is never zero, so
// even two all-promoter periods compare cleanly (z = 0, p = 1).
// Returns the comparison, or nullopt when either period has no answers.
std::optional<NpsComparison> CompareNps(const NpsCounts& first, const NpsCounts& second,
                                        double alpha = 0.05);

// Funnel-plot limits for one unit size n around its parent.
struct FunnelLimits {
  double target = 0;  // the parent's plain NPS
  double low95 = 0;   // target ± kZ95·SE(n), clamped to [−100, 100]
  double high95 = 0;
  double low998 = 0;  // target ± kZ998·SE(n), clamped to [−100, 100]
  double high998 = 0;
};

// Limits for a unit of n answers under the hypothesis that it behaves like its parent: SE(n) =
// 100·sqrt((p + d − (p − d)²)/n) with p, d the parent's plain promoter and detractor shares.
// The spread comes from the parent, not from the unit, so that a tiny unit with a freak
// result is judged by what its size allows, not by its own noisy variance. The unit's answers
// are usually part of the parent's; that makes the limits slightly conservative for a unit
// that is a large share of its parent.
// Returns the limits, or nullopt when the parent has no answers or n < 1.
std::optional<FunnelLimits> FunnelLimitsFor(const NpsCounts& parent, int64_t n);

enum class FunnelPosition { kBelow998, kBelow95, kWithin, kAbove95, kAbove998 };

// Returns where a unit's plain NPS falls relative to the limits computed for its own n. A value
// exactly on a limit counts as inside it, so a unit at 100 is never "above" a limit that was
// clamped to 100.
FunnelPosition PositionInFunnel(const FunnelLimits& limits, double unit_nps);

// Returns the stable machine name of a position: "below_99.8", "below_95", "within",
// "above_95" or "above_99.8" (used in reports and the API, so do not rename).
std::string_view FunnelPositionName(FunnelPosition position);

}  // namespace mittari
