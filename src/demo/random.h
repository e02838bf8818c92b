// File: demo/random.h
//
// The demo generator's own pseudo-random numbers: xoshiro256** seeded through splitmix64, and
// the handful of sampling helpers the generator needs. They are written out here rather than
// taken from <random> because the std::*_distribution algorithms are left to each standard
// library, and a demo seed must produce the same district and the same answers everywhere.
// Everything is integer arithmetic or plain double arithmetic without libm calls.
//
// Internal to src/demo. Thread-compatible: give each thread its own Rng.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace mittari::demo::internal {

// Returns the next splitmix64 output and advances `state`. Good for turning one seed into
// several well-mixed ones.
inline uint64_t SplitMix64(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Returns a seed for the independent stream `stream` of `seed`, so that e.g. the unit weights
// do not change when the number of requested answers does.
inline uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  uint64_t state = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  SplitMix64(state);
  return SplitMix64(state);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t state = seed;
    for (uint64_t& word : s_) word = SplitMix64(state);
  }

  // Returns 64 uniformly distributed bits (xoshiro256**).
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Returns a double uniformly distributed in [0, 1), with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Returns an integer uniformly distributed in [0, n) for n >= 1 (multiply-shift; the bias
  // is below 2^-32 for the small n used here).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }

  // Returns true with probability p.
  bool Chance(double p) { return Uniform() < p; }

  // Returns an approximately standard normal value (Irwin-Hall sum of twelve uniforms), which
  // is bounded to (-6, 6) and needs no libm.
  double Normal() {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += Uniform();
    return sum - 6.0;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
};

// Returns the index i of the first cumulative weight greater than u * total, where `cumulative`
// holds running sums of non-negative weights and total is its last element. A zero-weight entry
// is never chosen.
template <size_t N>
size_t SampleCumulative(const std::array<double, N>& cumulative, double u) {
  const double x = u * cumulative[N - 1];
  for (size_t i = 0; i + 1 < N; ++i) {
    if (x < cumulative[i]) return i;
  }
  return N - 1;
}

// Returns running sums of `weights`.
template <size_t N>
constexpr std::array<double, N> Cumulative(const std::array<double, N>& weights) {
  std::array<double, N> out{};
  double sum = 0;
  for (size_t i = 0; i < N; ++i) {
    sum += weights[i];
    out[i] = sum;
  }
  return out;
}

}  // namespace mittari::demo::internal
