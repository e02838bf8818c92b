#include "demo/profile.h"

#include <initializer_list>
#include <string>
#include <string_view>

namespace mittari::demo::internal {
namespace {

// Lower-cases ASCII letters only; the keywords below are written so that their non-ASCII
// letters never need folding.
std::string FoldedUnitPart(std::string_view name) {
  size_t comma = name.rfind(", ");
  if (comma != std::string_view::npos) name.remove_prefix(comma + 2);
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct FoldedNames {
  std::string fi, sv, en;

  bool Mentions(std::initializer_list<std::string_view> keywords) const {
    for (std::string_view keyword : keywords) {
      if (fi.find(keyword) != std::string::npos || sv.find(keyword) != std::string::npos ||
          en.find(keyword) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

// The first matching rule wins in each classification, so more specific words come first
// ("synnytysosasto" is a ward for mothers, not just a ward).
VisitClass VisitClassOf(const FoldedNames& n) {
  if (n.Mentions({"päivystys", "jour", "emergency", "casualty"})) return VisitClass::kEmergency;
  if (n.Mentions({"digi", "etävastaanotto", "chat", "remote", "distans", "virtual", "online"})) {
    return VisitClass::kRemote;
  }
  if (n.Mentions(
          {"kotihoito", "kotisairaala", "hemvård", "hemsjukhus", "home care", "home hospital"})) {
    return VisitClass::kHomeCare;
  }
  if (n.Mentions({"osasto", "avdelning", "ward", "vuodeosasto", "inpatient"})) {
    return VisitClass::kWard;
  }
  if (n.Mentions({"laborator", "kuvantaminen", "röntgen", "bilddiagnostik", "imaging", "x-ray",
                  "radiolog"})) {
    return VisitClass::kDiagnostics;
  }
  return VisitClass::kClinic;
}

PatientClass PatientClassOf(const FoldedNames& n, VisitClass visit) {
  if (n.Mentions({"synnytys", "förlossning", "maternity ward", "äitiys", "birth"})) {
    return PatientClass::kMaternity;
  }
  if (n.Mentions({"lasten", "neuvola", "koulu", "barn", "rådgivning", "paediatric", "pediatric",
                  "child", "school", "nuorten", "ungdom", "youth"})) {
    return PatientClass::kChildren;
  }
  if (n.Mentions({"mielenterveys", "psykiatr", "päihde", "mental", "psychiatr", "missbruk",
                  "substance"})) {
    return PatientClass::kMentalHealth;
  }
  if (n.Mentions({"geriatr", "silmä", "sydän", "dialyysi", "syöpä", "kotihoito", "vanhus", "ögon",
                  "hjärt", "dialys", "cancer", "hemvård", "äldre", "eye", "cardio", "oncolog",
                  "elderly", "home care"})) {
    return PatientClass::kElderly;
  }
  if (visit == VisitClass::kEmergency) return PatientClass::kEmergency;
  return PatientClass::kGeneral;
}

StaffClass StaffClassOf(const FoldedNames& n, VisitClass visit, PatientClass patients) {
  if (n.Mentions({"suun", "hammas", "munhäls", "tandvård", "tandläk", "dental", "oral"})) {
    return StaffClass::kDental;
  }
  if (n.Mentions({"fysioterap", "kuntoutus", "rehabilit", "physio"})) return StaffClass::kPhysio;
  if (n.Mentions({"kuvantaminen", "röntgen", "bilddiagnostik", "imaging", "x-ray", "radiolog"})) {
    return StaffClass::kImaging;
  }
  if (patients == PatientClass::kMaternity) return StaffClass::kMaternity;
  if (patients == PatientClass::kChildren) return StaffClass::kChildren;
  if (patients == PatientClass::kMentalHealth) return StaffClass::kMentalHealth;
  switch (visit) {
    case VisitClass::kEmergency:
      return StaffClass::kEmergency;
    case VisitClass::kWard:
      return StaffClass::kWard;
    case VisitClass::kRemote:
      return StaffClass::kRemote;
    case VisitClass::kDiagnostics:
      return StaffClass::kLab;
    case VisitClass::kHomeCare:
      return StaffClass::kWard;
    default:
      return StaffClass::kClinic;
  }
}

// Visit weights are over outpatient, inpatient, emergency, remote, other. Even a ward has a
// few outpatient answers (follow-up visits), and most clinics do some of their work remotely.
constexpr std::array<VisitClassTraits, static_cast<size_t>(VisitClass::kCount)> kVisitTraits = {{
    /*kClinic=*/{{0.90, 0.01, 0.01, 0.06, 0.02}, 0.06, 1.5},
    /*kWard=*/{{0.07, 0.90, 0.01, 0.00, 0.02}, 0.90, 3.0},
    /*kEmergency=*/{{0.05, 0.04, 0.89, 0.01, 0.01}, 1.00, 2.2},
    /*kRemote=*/{{0.10, 0.00, 0.00, 0.87, 0.03}, 0.35, 1.0},
    /*kHomeCare=*/{{0.20, 0.00, 0.00, 0.15, 0.65}, 0.75, 0.5},
    /*kDiagnostics=*/{{0.86, 0.02, 0.00, 0.00, 0.12}, 0.08, 1.5},
}};

// Weights over 0-17, 18-29, 30-44, 45-64, 65-74, 75+, unknown. Patients who answer are older
// than the population: they visit more often and answer more often.
constexpr std::array<std::array<double, EnumCount<AgeGroup>()>,
                     static_cast<size_t>(PatientClass::kCount)>
    kAgeWeights = {{
        /*kGeneral=*/{0.05, 0.08, 0.13, 0.26, 0.22, 0.22, 0.04},
        /*kEmergency=*/{0.10, 0.12, 0.14, 0.22, 0.17, 0.21, 0.04},
        /*kChildren=*/{0.82, 0.05, 0.08, 0.01, 0.00, 0.00, 0.04},
        /*kMaternity=*/{0.01, 0.30, 0.62, 0.03, 0.00, 0.00, 0.04},
        /*kElderly=*/{0.01, 0.02, 0.05, 0.20, 0.32, 0.37, 0.03},
        /*kMentalHealth=*/{0.07, 0.30, 0.30, 0.25, 0.05, 0.02, 0.01},
    }};

constexpr Role kClinicRoles[] = {Role::kDoctor, Role::kNurse, Role::kStaff};
constexpr Role kWardRoles[] = {Role::kNurse, Role::kDoctor, Role::kStaff, Role::kNurse};
constexpr Role kEmergencyRoles[] = {Role::kDoctor, Role::kNurse, Role::kStaff};
constexpr Role kDentalRoles[] = {Role::kDentist, Role::kDentalHygienist, Role::kStaff};
constexpr Role kPhysioRoles[] = {Role::kPhysiotherapist, Role::kPhysiotherapist, Role::kStaff};
constexpr Role kLabRoles[] = {Role::kLabNurse, Role::kLabNurse, Role::kStaff};
constexpr Role kImagingRoles[] = {Role::kRadiographer, Role::kDoctor, Role::kStaff};
constexpr Role kMaternityRoles[] = {Role::kMidwife, Role::kMidwife, Role::kNurse, Role::kStaff};
constexpr Role kChildrenRoles[] = {Role::kPublicHealthNurse, Role::kDoctor, Role::kStaff};
constexpr Role kMentalHealthRoles[] = {Role::kNurse, Role::kPsychologist, Role::kDoctor};
constexpr Role kRemoteRoles[] = {Role::kNurse, Role::kDoctor};

}  // namespace

UnitProfile ProfileOf(const Unit& unit) {
  FoldedNames names{FoldedUnitPart(unit.name_fi), FoldedUnitPart(unit.name_sv),
                    FoldedUnitPart(unit.name_en)};
  UnitProfile profile;
  profile.visit = VisitClassOf(names);
  profile.patients = PatientClassOf(names, profile.visit);
  profile.staff = StaffClassOf(names, profile.visit, profile.patients);
  return profile;
}

const VisitClassTraits& TraitsOf(VisitClass visit) {
  return kVisitTraits[static_cast<size_t>(visit)];
}

const std::array<double, EnumCount<AgeGroup>()>& AgeWeightsOf(PatientClass patients) {
  return kAgeWeights[static_cast<size_t>(patients)];
}

std::span<const Role> RolesOf(StaffClass staff) {
  switch (staff) {
    case StaffClass::kWard:
      return kWardRoles;
    case StaffClass::kEmergency:
      return kEmergencyRoles;
    case StaffClass::kDental:
      return kDentalRoles;
    case StaffClass::kPhysio:
      return kPhysioRoles;
    case StaffClass::kLab:
      return kLabRoles;
    case StaffClass::kImaging:
      return kImagingRoles;
    case StaffClass::kMaternity:
      return kMaternityRoles;
    case StaffClass::kChildren:
      return kChildrenRoles;
    case StaffClass::kMentalHealth:
      return kMentalHealthRoles;
    case StaffClass::kRemote:
      return kRemoteRoles;
    default:
      return kClinicRoles;
  }
}

}  // namespace mittari::demo::internal
