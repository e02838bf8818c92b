// File: demo/profile.h
//
// What the demo generator assumes about a unit, read from its names: which visits it has
// (clinic, ward, emergency, remote, home care, diagnostics), who its patients are (children,
// mothers, the elderly, ...) and which professionals its comments talk about. Reading names
// rather than a side table lets the generator feed any organisation tree, including one a
// customer imported, with plausible answers.
//
// Internal to src/demo. Thread-safe: pure functions over constant tables.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "model/enums.h"
#include "model/unit.h"

namespace mittari::demo::internal {

enum class VisitClass : uint8_t {
  kClinic,
  kWard,
  kEmergency,
  kRemote,
  kHomeCare,
  kDiagnostics,
  kCount
};
enum class PatientClass : uint8_t {
  kGeneral,
  kEmergency,
  kChildren,
  kMaternity,
  kElderly,
  kMentalHealth,
  kCount
};
enum class StaffClass : uint8_t {
  kClinic,
  kWard,
  kEmergency,
  kDental,
  kPhysio,
  kLab,
  kImaging,
  kMaternity,
  kChildren,
  kMentalHealth,
  kRemote,
  kCount
};

// The professionals a comment may mention; comments.cc names them in each language.
enum class Role : uint8_t {
  kNurse,
  kDoctor,
  kStaff,
  kPublicHealthNurse,
  kDentist,
  kDentalHygienist,
  kPhysiotherapist,
  kMidwife,
  kLabNurse,
  kPsychologist,
  kRadiographer,
  kCount
};

struct UnitProfile {
  VisitClass visit = VisitClass::kClinic;
  PatientClass patients = PatientClass::kGeneral;
  StaffClass staff = StaffClass::kClinic;
};

struct VisitClassTraits {
  std::array<double, EnumCount<VisitType>()> visit_type_weights;
  double weekend_factor;  // a weekend day's volume relative to a weekday's
  double volume;          // typical volume relative to an ordinary clinic
};

// Returns the profile read from the unit's own part of its names (the text after the last
// ", ", so that "Porvoon sairaala, päivystys" is an emergency department); an unrecognised
// name gives an ordinary clinic for adults.
UnitProfile ProfileOf(const Unit& unit);

// Returns the visit mix, weekend factor and typical volume of a visit class.
const VisitClassTraits& TraitsOf(VisitClass visit);
// Returns the weights over AgeGroup values of a patient class.
const std::array<double, EnumCount<AgeGroup>()>& AgeWeightsOf(PatientClass patients);
// Returns the roles that comments about a unit with this staff class mention.
std::span<const Role> RolesOf(StaffClass staff);

}  // namespace mittari::demo::internal
