// GenerateUnits: the demo district's organisation tree, built from tables of real place names
// in Uusimaa and Ostrobothnia and of the units typical of Finnish hospitals and health
// stations. The seed chooses how many centres each area has, which places host them, which
// units each centre has and where the 2023 reorganisation happens.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "demo/demo.h"
#include "demo/random.h"

namespace mittari::demo {
namespace {

using internal::Rng;

constexpr uint64_t kUnitStream = 1;

struct Place {
  std::string_view fi;           // nominative, also used in English names
  std::string_view fi_genitive;  // "Kallion terveysasema"
  std::string_view sv;           // as it reads before a noun: "Berghälls hälsostation"
};

struct AreaSpec {
  std::string_view fi, sv, en;
  bool has_hospital;            // the first place then hosts a hospital
  std::array<Place, 6> places;  // places[0] hosts the area's main centre
};

// Twenty areas: three in Helsinki, the big and small towns around it, and the bilingual and
// Swedish-speaking coast (Porvoo, Sipoo, Loviisa, Kirkkonummi, Raasepori, Hanko, Pietarsaari),
// where many patients answer in Swedish.
// clang-format off
constexpr AreaSpec kAreas[] = {
    {"Helsingin keskinen alue", "Helsingfors centrala område", "Central Helsinki", true,
     {{{"Meilahti", "Meilahden", "Mejlans"}, {"Kallio", "Kallion", "Berghälls"},
       {"Töölö", "Töölön", "Tölö"}, {"Lauttasaari", "Lauttasaaren", "Drumsö"},
       {"Munkkiniemi", "Munkkiniemen", "Munksnäs"}, {"Kamppi", "Kampin", "Kampens"}}}},
    {"Helsingin itäinen alue", "Helsingfors östra område", "East Helsinki", true,
     {{{"Herttoniemi", "Herttoniemen", "Hertonäs"}, {"Vuosaari", "Vuosaaren", "Nordsjö"},
       {"Itäkeskus", "Itäkeskuksen", "Östra centrums"}, {"Kontula", "Kontulan", "Gårdsbacka"},
       {"Myllypuro", "Myllypuron", "Kvarnbäckens"}, {"Laajasalo", "Laajasalon", "Degerö"}}}},
    {"Helsingin pohjoinen alue", "Helsingfors norra område", "North Helsinki", true,
     {{{"Malmi", "Malmin", "Malms"}, {"Kannelmäki", "Kannelmäen", "Gamlas"},
       {"Pukinmäki", "Pukinmäen", "Bocksbacka"}, {"Maunula", "Maunulan", "Månsas"},
       {"Oulunkylä", "Oulunkylän", "Åggelby"}, {"Pihlajamäki", "Pihlajamäen", "Rönnbacka"}}}},
    {"Espoon alue", "Esbo område", "Espoo Area", true,
     {{{"Jorvi", "Jorvin", "Jorv"}, {"Leppävaara", "Leppävaaran", "Alberga"},
       {"Tapiola", "Tapiolan", "Hagalunds"}, {"Matinkylä", "Matinkylän", "Mattby"},
       {"Espoonlahti", "Espoonlahden", "Esboviks"}, {"Kivenlahti", "Kivenlahden", "Stensviks"}}}},
    {"Vantaan alue", "Vanda område", "Vantaa Area", true,
     {{{"Peijas", "Peijaksen", "Pejas"}, {"Tikkurila", "Tikkurilan", "Dickursby"},
       {"Myyrmäki", "Myyrmäen", "Myrbacka"}, {"Martinlaakso", "Martinlaakson", "Mårtensdals"},
       {"Koivukylä", "Koivukylän", "Björkby"}, {"Hakunila", "Hakunilan", "Håkansböle"}}}},
    {"Keravan alue", "Kervo område", "Kerava Area", false,
     {{{"Kerava", "Keravan", "Kervo"}, {"Ahjo", "Ahjon", "Ahjo"}, {"Sompio", "Sompion", "Sompio"},
       {"Savio", "Savion", "Savio"}, {"Kaleva", "Kalevan", "Kaleva"},
       {"Jaakkola", "Jaakkolan", "Jaakkola"}}}},
    {"Järvenpään alue", "Träskända område", "Järvenpää Area", false,
     {{{"Järvenpää", "Järvenpään", "Träskända"}, {"Haarajoki", "Haarajoen", "Haarajoki"},
       {"Kyrölä", "Kyrölän", "Kyrölä"}, {"Saunakallio", "Saunakallion", "Saunakallio"},
       {"Jamppa", "Jampan", "Jamppa"}, {"Pöytäalho", "Pöytäalhon", "Pöytäalho"}}}},
    {"Tuusulan alue", "Tusby område", "Tuusula Area", true,
     {{{"Kellokoski", "Kellokosken", "Kellokoski"}, {"Hyrylä", "Hyrylän", "Hyrylä"},
       {"Jokela", "Jokelan", "Jokela"}, {"Riihikallio", "Riihikallion", "Riihikallio"},
       {"Lahela", "Lahelan", "Lahela"}, {"Ruotsinkylä", "Ruotsinkylän", "Svenskby"}}}},
    {"Nurmijärven alue", "Nurmijärvi område", "Nurmijärvi Area", false,
     {{{"Nurmijärvi", "Nurmijärven", "Nurmijärvi"}, {"Klaukkala", "Klaukkalan", "Klaukkala"},
       {"Rajamäki", "Rajamäen", "Rajamäki"}, {"Röykkä", "Röykän", "Röykkä"},
       {"Perttula", "Perttulan", "Perttula"}, {"Kiljava", "Kiljavan", "Kiljava"}}}},
    {"Hyvinkään alue", "Hyvinge område", "Hyvinkää Area", true,
     {{{"Hyvinkää", "Hyvinkään", "Hyvinge"}, {"Paavola", "Paavolan", "Paavola"},
       {"Martti", "Martin", "Martti"}, {"Sahanmäki", "Sahanmäen", "Sahanmäki"},
       {"Ridasjärvi", "Ridasjärven", "Ridasjärvi"}, {"Kaukas", "Kaukkaan", "Kaukas"}}}},
    {"Mäntsälän alue", "Mäntsälä område", "Mäntsälä Area", false,
     {{{"Mäntsälä", "Mäntsälän", "Mäntsälä"}, {"Ohkola", "Ohkolan", "Ohkola"},
       {"Sälinkää", "Sälinkään", "Sälinkää"}, {"Hirvihaara", "Hirvihaaran", "Hirvihaara"},
       {"Pornainen", "Pornaisten", "Borgnäs"}, {"Levanto", "Levannon", "Levanto"}}}},
    {"Porvoon alue", "Borgå område", "Porvoo Area", true,
     {{{"Porvoo", "Porvoon", "Borgå"}, {"Kevätkumpu", "Kevätkummun", "Vårberga"},
       {"Hamari", "Hamarin", "Hammars"}, {"Gammelbacka", "Gammelbackan", "Gammelbacka"},
       {"Kulloo", "Kulloon", "Kullo"}, {"Pellinki", "Pellingin", "Pellinge"}}}},
    {"Sipoon alue", "Sibbo område", "Sipoo Area", false,
     {{{"Nikkilä", "Nikkilän", "Nickby"}, {"Söderkulla", "Söderkullan", "Söderkulla"},
       {"Kalkkiranta", "Kalkkirannan", "Kalkstrands"}, {"Paippinen", "Paippisten", "Paipis"},
       {"Hinthaara", "Hinthaaran", "Hindsby"}, {"Talma", "Talman", "Tallmo"}}}},
    {"Loviisan alue", "Lovisa område", "Loviisa Area", true,
     {{{"Loviisa", "Loviisan", "Lovisa"}, {"Valko", "Valkon", "Valkom"},
       {"Ruotsinpyhtää", "Ruotsinpyhtään", "Strömfors"}, {"Pernaja", "Pernajan", "Pernå"},
       {"Liljendal", "Liljendalin", "Liljendal"}, {"Lapinjärvi", "Lapinjärven", "Lappträsk"}}}},
    {"Kirkkonummen alue", "Kyrkslätt område", "Kirkkonummi Area", false,
     {{{"Kirkkonummi", "Kirkkonummen", "Kyrkslätts"}, {"Masala", "Masalan", "Masaby"},
       {"Veikkola", "Veikkolan", "Veikkola"}, {"Kantvik", "Kantvikin", "Kantvik"},
       {"Inkoo", "Inkoon", "Ingå"}, {"Siuntio", "Siuntion", "Sjundeå"}}}},
    {"Lohjan alue", "Lojo område", "Lohja Area", true,
     {{{"Lohja", "Lohjan", "Lojo"}, {"Virkkala", "Virkkalan", "Virkby"},
       {"Karjalohja", "Karjalohjan", "Karislojo"}, {"Sammatti", "Sammatin", "Sammatti"},
       {"Nummi", "Nummen", "Nummis"}, {"Pusula", "Pusulan", "Pusula"}}}},
    {"Vihdin alue", "Vichtis område", "Vihti Area", false,
     {{{"Nummela", "Nummelan", "Nummela"}, {"Vihti", "Vihdin", "Vichtis"},
       {"Otalampi", "Otalammen", "Otalampi"}, {"Ojakkala", "Ojakkalan", "Ojakkala"},
       {"Karkkila", "Karkkilan", "Högfors"}, {"Olkkala", "Olkkalan", "Olkkala"}}}},
    {"Raaseporin alue", "Raseborg område", "Raasepori Area", true,
     {{{"Tammisaari", "Tammisaaren", "Ekenäs"}, {"Karjaa", "Karjaan", "Karis"},
       {"Pohja", "Pohjan", "Pojo"}, {"Fiskari", "Fiskarsin", "Fiskars"},
       {"Tenhola", "Tenholan", "Tenala"}, {"Snappertuna", "Snappertunan", "Snappertuna"}}}},
    {"Hangon alue", "Hangö område", "Hanko Area", false,
     {{{"Hanko", "Hangon", "Hangö"}, {"Lappohja", "Lappohjan", "Lappviks"},
       {"Hangonkylä", "Hangonkylän", "Hangöby"}, {"Tvärminne", "Tvärminnen", "Tvärminne"},
       {"Täktom", "Täktomin", "Täktom"}, {"Koverhar", "Koverharin", "Koverhar"}}}},
    {"Pietarsaaren alue", "Jakobstad område", "Pietarsaari Area", true,
     {{{"Pietarsaari", "Pietarsaaren", "Jakobstads"}, {"Pedersöre", "Pedersören", "Pedersöre"},
       {"Luoto", "Luodon", "Larsmo"}, {"Uusikaarlepyy", "Uudenkaarlepyyn", "Nykarleby"},
       {"Kruunupyy", "Kruunupyyn", "Kronoby"}, {"Ähtävä", "Ähtävän", "Esse"}}}},
};

// clang-format on
enum class CentreKind { kHospital, kHealthStation, kWellbeingCentre };

struct UnitType {
  std::string_view fi, sv, en;
};

// Hospital units; the emergency department comes first because every hospital has one.
constexpr UnitType kHospitalUnits[] = {
    {"päivystys", "jour", "Emergency Department"},
    {"sisätautien osasto", "medicinsk avdelning", "Internal Medicine Ward"},
    {"kirurginen osasto", "kirurgisk avdelning", "Surgical Ward"},
    {"synnytysosasto", "förlossningsavdelning", "Maternity Ward"},
    {"lastentautien poliklinikka", "barnpoliklinik", "Paediatric Outpatient Clinic"},
    {"sisätautien poliklinikka", "medicinsk poliklinik", "Internal Medicine Outpatient Clinic"},
    {"kirurgian poliklinikka", "kirurgisk poliklinik", "Surgical Outpatient Clinic"},
    {"päiväkirurgia", "dagkirurgi", "Day Surgery"},
    {"kuvantaminen", "bilddiagnostik", "Medical Imaging"},
    {"silmätautien poliklinikka", "ögonpoliklinik", "Eye Clinic"},
    {"korvapoliklinikka", "öronpoliklinik", "Ear, Nose and Throat Clinic"},
    {"sydänpoliklinikka", "hjärtpoliklinik", "Cardiology Clinic"},
    {"syöpätautien poliklinikka", "cancerpoliklinik", "Oncology Clinic"},
    {"neurologian poliklinikka", "neurologisk poliklinik", "Neurology Clinic"},
    {"dialyysiyksikkö", "dialysenhet", "Dialysis Unit"},
    {"kuntoutusosasto", "rehabiliteringsavdelning", "Rehabilitation Ward"},
    {"geriatrinen osasto", "geriatrisk avdelning", "Geriatric Ward"},
    {"psykiatrian poliklinikka", "psykiatrisk poliklinik", "Psychiatric Outpatient Clinic"},
    {"psykiatrinen osasto", "psykiatrisk avdelning", "Psychiatric Ward"},
    {"naistentautien poliklinikka", "gynekologisk poliklinik", "Gynaecology Clinic"},
    {"ihotautien poliklinikka", "hudpoliklinik", "Dermatology Clinic"},
    {"keuhkopoliklinikka", "lungpoliklinik", "Pulmonology Clinic"},
};
constexpr size_t kHospitalMandatory = 1;

// Health station and wellbeing centre units; every one has the first two, and only wellbeing
// centres have the ones after kHealthStationPool.
constexpr UnitType kPrimaryCareUnits[] = {
    {"lääkärin vastaanotto", "läkarmottagning", "Doctor's Clinic"},
    {"hoitajan vastaanotto", "skötarmottagning", "Nurse's Clinic"},
    {"mielenterveysvastaanotto", "mentalvårdsmottagning", "Mental Health Clinic"},
    {"fysioterapia", "fysioterapi", "Physiotherapy"},
    {"neuvola", "rådgivning", "Maternity and Child Health Clinic"},
    {"suun terveydenhuolto", "munhälsovård", "Oral Health Care"},
    {"laboratorio", "laboratorium", "Laboratory"},
    {"diabetesvastaanotto", "diabetesmottagning", "Diabetes Clinic"},
    {"rokotuspiste", "vaccinationsställe", "Vaccination Point"},
    {"kouluterveydenhuolto", "skolhälsovård", "School Health Care"},
    {"kotihoito", "hemvård", "Home Care"},
    {"digiklinikka", "digital mottagning", "Digital Clinic"},
    {"päihdepalvelut", "missbrukarvård", "Substance Use Services"},
};
constexpr size_t kPrimaryMandatory = 2;
constexpr size_t kMentalHealthIndex = 2;
constexpr size_t kPhysiotherapyIndex = 3;
constexpr size_t kHealthStationPool = 10;

// What the 2023 reorganisation creates.
constexpr UnitType kOwnTeamClinic = {"omatiimivastaanotto", "egenteamsmottagning",
                                     "Own Team Clinic"};
constexpr UnitType kMentalHealthAndSubstance = {"mielenterveys- ja päihdevastaanotto",
                                                "mottagning för mental hälsa och missbruk",
                                                "Mental Health and Substance Use Clinic"};
constexpr UnitType kPhysioAndRehabilitation = {"fysioterapia ja kuntoutus",
                                               "fysioterapi och rehabilitering",
                                               "Physiotherapy and Rehabilitation"};

struct CentrePlan {
  size_t area = 0;
  int number = 0;  // within the area, from 1
  const Place* place = nullptr;
  CentreKind kind = CentreKind::kHealthStation;
  std::vector<const UnitType*> units;
};

// Returns `count` distinct indices from [first, end) in increasing order.
std::vector<size_t> ChooseDistinct(Rng& rng, size_t first, size_t end, size_t count) {
  std::vector<size_t> pool;
  for (size_t i = first; i < end; ++i) pool.push_back(i);
  count = std::min(count, pool.size());
  for (size_t i = 0; i < count; ++i) {
    size_t j = i + rng.Below(static_cast<uint32_t>(pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(count);
  std::sort(pool.begin(), pool.end());
  return pool;
}

Unit MakeUnit(std::string code, std::string parent, UnitKind kind, std::string fi, std::string sv,
              std::string en) {
  Unit unit;
  unit.code = std::move(code);
  unit.parent_code = std::move(parent);
  unit.kind = kind;
  unit.name_fi = std::move(fi);
  unit.name_sv = std::move(sv);
  unit.name_en = std::move(en);
  return unit;
}

std::string CentreCode(const CentrePlan& centre) {
  return fmt::format("A{:02}-C{:02}", centre.area + 1, centre.number);
}

Unit MakeCentre(const CentrePlan& centre) {
  const Place& p = *centre.place;
  std::string code = CentreCode(centre);
  std::string parent = fmt::format("A{:02}", centre.area + 1);
  switch (centre.kind) {
    case CentreKind::kHospital:
      return MakeUnit(code, parent, UnitKind::kCentre, fmt::format("{} sairaala", p.fi_genitive),
                      fmt::format("{} sjukhus", p.sv), fmt::format("{} Hospital", p.fi));
    case CentreKind::kWellbeingCentre:
      return MakeUnit(
          code, parent, UnitKind::kCentre, fmt::format("{} hyvinvointikeskus", p.fi_genitive),
          fmt::format("{} välfärdscentral", p.sv), fmt::format("{} Wellbeing Centre", p.fi));
    default:
      return MakeUnit(code, parent, UnitKind::kCentre,
                      fmt::format("{} terveysasema", p.fi_genitive),
                      fmt::format("{} hälsostation", p.sv), fmt::format("{} Health Station", p.fi));
  }
}

// Unit names lead with their centre's, so a unit is recognisable on its own in a report row:
// "Kallion terveysasema, neuvola".
Unit MakeLeaf(const Unit& centre, int number, const UnitType& type) {
  return MakeUnit(fmt::format("{}-U{:02}", centre.code, number), centre.code, UnitKind::kUnit,
                  fmt::format("{}, {}", centre.name_fi, type.fi),
                  fmt::format("{}, {}", centre.name_sv, type.sv),
                  fmt::format("{}, {}", centre.name_en, type.en));
}

}  // namespace

LocalDay FirstDemoDay() { return FromCivilDate(2020, 1, 1); }
LocalDay LastDemoDay() { return FromCivilDate(2025, 12, 31); }
LocalDay ReorganisationDay() { return FromCivilDate(2023, 1, 1); }

std::vector<Unit> GenerateUnits(uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kUnitStream));

  // Which centres exist.
  std::vector<CentrePlan> centres;
  for (size_t a = 0; a < std::size(kAreas); ++a) {
    const AreaSpec& area = kAreas[a];
    size_t count = 3 + rng.Below(2);
    std::vector<size_t> places = ChooseDistinct(rng, 1, area.places.size(), count - 1);
    places.insert(places.begin(), 0);
    for (size_t i = 0; i < places.size(); ++i) {
      CentrePlan centre;
      centre.area = a;
      centre.number = static_cast<int>(i + 1);
      centre.place = &area.places[places[i]];
      if (i == 0) {
        centre.kind = area.has_hospital ? CentreKind::kHospital : CentreKind::kWellbeingCentre;
      } else {
        centre.kind = rng.Chance(0.3) ? CentreKind::kWellbeingCentre : CentreKind::kHealthStation;
      }
      centres.push_back(centre);
    }
  }

  // Where the reorganisation happens, decided before the units so that the units it needs are
  // sure to exist: one primary care centre merges its doctor's and nurse's clinics into an
  // own-team clinic, another widens its mental health clinic to substance use, and a third
  // moves its physiotherapy to a neighbouring centre.
  std::vector<size_t> primary;
  for (size_t i = 0; i < centres.size(); ++i) {
    if (centres[i].kind != CentreKind::kHospital) primary.push_back(i);
  }
  std::vector<size_t> picks = ChooseDistinct(rng, 0, primary.size(), 3);
  // ChooseDistinct sorts its picks; shuffle them so that each role can fall anywhere.
  for (size_t i = picks.size(); i > 1; --i) {
    std::swap(picks[i - 1], picks[rng.Below(static_cast<uint32_t>(i))]);
  }
  size_t merge_centre = primary[picks[0]];
  size_t widen_centre = primary[picks[1]];
  size_t move_from = primary[picks[2]];
  std::vector<size_t> neighbours;
  for (size_t i = 0; i < centres.size(); ++i) {
    if (i != move_from && centres[i].area == centres[move_from].area) neighbours.push_back(i);
  }
  size_t move_to = neighbours[rng.Below(static_cast<uint32_t>(neighbours.size()))];

  // Which units each centre has.
  for (size_t i = 0; i < centres.size(); ++i) {
    CentrePlan& centre = centres[i];
    std::span<const UnitType> pool;
    size_t mandatory = 0;
    size_t count = 0;
    switch (centre.kind) {
      case CentreKind::kHospital:
        pool = kHospitalUnits;
        mandatory = kHospitalMandatory;
        count = 4 + rng.Below(4);
        break;
      case CentreKind::kHealthStation:
        pool = std::span(kPrimaryCareUnits).first(kHealthStationPool);
        mandatory = kPrimaryMandatory;
        count = 3 + rng.Below(3);
        break;
      case CentreKind::kWellbeingCentre:
        pool = kPrimaryCareUnits;
        mandatory = kPrimaryMandatory;
        count = 4 + rng.Below(3);
        break;
    }
    std::vector<bool> chosen(pool.size(), false);
    for (size_t m = 0; m < mandatory; ++m) chosen[m] = true;
    if (i == widen_centre) chosen[kMentalHealthIndex] = true;
    if (i == move_from) chosen[kPhysiotherapyIndex] = true;
    size_t have = static_cast<size_t>(std::count(chosen.begin(), chosen.end(), true));
    size_t extra = count > have ? count - have : 0;
    std::vector<size_t> optional;
    for (size_t t = 0; t < pool.size(); ++t) {
      if (!chosen[t]) optional.push_back(t);
    }
    for (size_t pick : ChooseDistinct(rng, 0, optional.size(), extra))
      chosen[optional[pick]] = true;
    for (size_t t = 0; t < pool.size(); ++t) {
      if (chosen[t]) centre.units.push_back(&pool[t]);
    }
  }

  // The tree, in pre-order.
  std::vector<Unit> units;
  units.push_back(MakeUnit("HD", "", UnitKind::kOrganisation, "Demosairaanhoitopiiri",
                           "Demosjukvårdsdistriktet", "Demo Hospital District"));
  const LocalDay closed_on = ReorganisationDay() - 1;
  auto close = [&](Unit& unit, const std::string& successor) {
    unit.valid_to = closed_on;
    unit.successor_code = successor;
  };
  size_t next_centre = 0;
  size_t moved_unit = 0;      // index in `units` of the physiotherapy that moves
  std::string moved_to_code;  // and of the unit that takes it over
  for (size_t a = 0; a < std::size(kAreas); ++a) {
    units.push_back(MakeUnit(fmt::format("A{:02}", a + 1), "HD", UnitKind::kArea,
                             std::string(kAreas[a].fi), std::string(kAreas[a].sv),
                             std::string(kAreas[a].en)));
    for (; next_centre < centres.size() && centres[next_centre].area == a; ++next_centre) {
      const CentrePlan& plan = centres[next_centre];
      const Unit centre = MakeCentre(plan);
      units.push_back(centre);
      const size_t first_leaf = units.size();
      int number = 0;
      for (const UnitType* type : plan.units) units.push_back(MakeLeaf(centre, ++number, *type));
      auto leaf_index = [&](const UnitType& type) {
        return first_leaf +
               static_cast<size_t>(std::find(plan.units.begin(), plan.units.end(), &type) -
                                   plan.units.begin());
      };
      auto open_successor = [&](const UnitType& type) {
        Unit successor = MakeLeaf(centre, ++number, type);
        successor.valid_from = ReorganisationDay();
        units.push_back(successor);
        return successor.code;
      };
      if (next_centre == merge_centre) {
        std::string successor = open_successor(kOwnTeamClinic);
        close(units[leaf_index(kPrimaryCareUnits[0])], successor);
        close(units[leaf_index(kPrimaryCareUnits[1])], successor);
      }
      if (next_centre == widen_centre) {
        std::string successor = open_successor(kMentalHealthAndSubstance);
        close(units[leaf_index(kPrimaryCareUnits[kMentalHealthIndex])], successor);
      }
      if (next_centre == move_from) moved_unit = leaf_index(kPrimaryCareUnits[kPhysiotherapyIndex]);
      if (next_centre == move_to) moved_to_code = open_successor(kPhysioAndRehabilitation);
    }
  }
  close(units[moved_unit], moved_to_code);
  return units;
}

}  // namespace mittari::demo
