// File: model/unit.h
//
// The organisation tree: organisation → areas → centres → units. A unit is identified by its
// code forever: codes are never reused, so an answer's unit code means the same thing in
// every year. Reorganisations close a unit (valid_to) and may name a successor; reports can
// then show a closed unit's answers under its successor, so that trends survive the change.
//
// OrgTree is immutable once built and thread-safe to read. Unit is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/calendar.h"
#include "common/status.h"
#include "model/enums.h"

namespace mittari {

struct Unit {
  std::string code;
  std::string parent_code;  // empty only for the root (kind organisation)
  UnitKind kind = UnitKind::kUnit;
  std::string name_fi;
  std::string name_sv;
  std::string name_en;
  std::optional<LocalDay> valid_from;
  std::optional<LocalDay> valid_to;  // inclusive last day; empty while the unit is open
  std::string successor_code;        // empty when none

  bool operator==(const Unit&) const = default;
};

// Index of a unit inside an OrgTree: its position in pre-order, so that a subtree is the
// contiguous interval [index, index + subtree_size).
using UnitIndex = uint16_t;
inline constexpr size_t kMaxUnits = 65535;

class OrgTree {
 public:
  // Builds the tree. Returns InvalidArgument naming the unit when a code repeats, a parent
  // or successor is unknown, there is not exactly one root, the parent chain has a cycle, a
  // child's kind is not deeper than its parent's, or there are more than kMaxUnits units.
  static Result<OrgTree> Build(std::vector<Unit> units);

  OrgTree() = default;

  size_t size() const { return units_.size(); }
  const Unit& unit(UnitIndex index) const { return units_[index]; }
  std::optional<UnitIndex> Find(std::string_view code) const;

  // The parent's index; the root is its own parent.
  UnitIndex parent(UnitIndex index) const { return parent_[index]; }
  int depth(UnitIndex index) const { return depth_[index]; }
  // Units in the subtree rooted at `index` (itself included) are exactly the indices in
  // [index, subtree_end(index)).
  UnitIndex subtree_end(UnitIndex index) const { return subtree_end_[index]; }
  bool InSubtree(UnitIndex root, UnitIndex candidate) const {
    return candidate >= root && candidate < subtree_end_[root];
  }
  // The nearest ancestor-or-self of kind `kind`, or nullopt when there is none (e.g. asking
  // for the centre of an area).
  std::optional<UnitIndex> AncestorOfKind(UnitIndex index, UnitKind kind) const;
  // Follows successor links to the unit that carries a closed unit's answers today; a unit
  // without a successor maps to itself.
  UnitIndex CurrentSuccessor(UnitIndex index) const { return current_[index]; }

  const std::vector<Unit>& units() const { return units_; }

 private:
  std::vector<Unit> units_;  // in pre-order
  std::vector<UnitIndex> parent_;
  std::vector<uint8_t> depth_;
  std::vector<UnitIndex> subtree_end_;
  std::vector<UnitIndex> current_;
  std::unordered_map<std::string, UnitIndex> by_code_;
};

}  // namespace mittari
