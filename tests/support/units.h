// File: tests/support/units.h
//
// Building organisation trees in tests: MakeUnit("U1", "C1", UnitKind::kUnit) with names
// derived from the code in all three languages ("fi U1", "sv U1", "en U1").
#pragma once

#include <string>
#include <utility>

#include "model/unit.h"

namespace mittari::testing {

inline Unit MakeUnit(std::string code, std::string parent, UnitKind kind, std::string successor = "") {
  Unit u;
  u.code = std::move(code);
  u.parent_code = std::move(parent);
  u.kind = kind;
  u.name_fi = "fi " + u.code;
  u.name_sv = "sv " + u.code;
  u.name_en = "en " + u.code;
  u.successor_code = std::move(successor);
  return u;
}

}  // namespace mittari::testing
