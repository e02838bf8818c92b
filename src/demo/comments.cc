#include "demo/comments.h"

#include <array>
#include <span>
#include <string_view>

namespace mittari::demo::internal {
namespace {

// What a clause is about. The weights below give the mix real feedback shows: praise is mostly
// about people, complaints mostly about waiting.
// clang-format off
enum Theme : uint8_t {
  kStaffTheme, kSkillTheme, kCareTheme, kInformationTheme, kWaitingTheme, kFacilitiesTheme,
  kDigitalTheme, kThemeCount
};
// clang-format on
constexpr std::array<double, kThemeCount> kPraiseThemeWeights = {30, 18, 18, 12, 9, 5, 8};
constexpr std::array<double, kThemeCount> kComplaintThemeWeights = {13, 6, 12, 16, 30, 13, 10};

// Clause templates are written in lower case, as they read in the middle of a sentence
// (English "I" excepted); the sentence builder capitalises sentence starts. In a template,
// '@' is a professional ("hoitaja", "the doctor"), "#h" a number of hours, "#m" of minutes
// and "#w" of weeks.
using Phrases = std::span<const std::string_view>;

struct LanguageTexts {
  std::array<Phrases, kThemeCount> praise;
  std::array<Phrases, kThemeCount> complaints;
  Phrases praise_alone;  // whole sentences, with their punctuation
  Phrases complaint_alone;
  Phrases neutral_alone;
  Phrases suggestions;
  Phrases thanks;      // how a happy comment ends
  Phrases grievances;  // how an unhappy one ends
  std::string_view and_word;
  std::string_view but_word;
  std::array<std::string_view, static_cast<size_t>(Role::kCount)> roles;
  Phrases phone_intros;
  Phrases email_intros;
  Phrases id_intros;
};

// clang-format off
// --- Finnish -----------------------------------------------------------------------------------

constexpr std::string_view kFiStaffPraise[] = {
    "@ oli todella ystävällinen",
    "@ oli lämmin ja kohtelias",
    "henkilökunta oli ystävällistä ja palvelualtista",
    "@ kohteli minua hyvin ja kunnioittavasti",
    "sain ystävällistä ja asiallista palvelua",
    "@ kuunteli ja otti huoleni tosissaan",
    "@ oli rauhallinen ja empaattinen",
};
constexpr std::string_view kFiSkillPraise[] = {
    "@ oli erittäin ammattitaitoinen",
    "@ tiesi mitä teki, ja se loi turvallisen olon",
    "tutkimukset tehtiin huolellisesti",
    "@ hoiti asiani asiantuntevasti",
    "sain asiantuntevaa apua",
    "toimenpide sujui nopeasti ja kivuttomasti",
};
constexpr std::string_view kFiCarePraise[] = {
    "hoito oli hyvää ja sujuvaa",
    "sain juuri sen avun, jota tarvitsin",
    "kaikki sujui hyvin alusta loppuun",
    "hoito auttoi ja oloni on nyt paljon parempi",
    "kivunhoito toimi hyvin",
    "minut hoidettiin kokonaisvaltaisesti",
};
constexpr std::string_view kFiInformationPraise[] = {
    "@ selitti kaiken selkeästi",
    "ohjeet olivat selkeät",
    "sain hyvät kotihoito-ohjeet",
    "@ kertoi jatkosta selkeästi ja vastasi kaikkiin kysymyksiini",
    "tiedotus toimi hyvin koko käynnin ajan",
};
constexpr std::string_view kFiWaitingPraise[] = {
    "pääsin sisään heti ajallaan",
    "odotusaika oli lyhyt",
    "aika järjestyi nopeasti",
    "jonotus sujui nopeasti",
    "sain ajan jo samalle päivälle",
};
constexpr std::string_view kFiFacilitiesPraise[] = {
    "tilat olivat siistit ja viihtyisät",
    "ruoka oli hyvää",
    "paikka oli helppo löytää",
    "pysäköinti sujui helposti",
    "odotustila oli rauhallinen",
};
constexpr std::string_view kFiDigitalPraise[] = {
    "ajanvaraus netissä oli helppoa",
    "tekstiviestimuistutus oli kätevä",
    "chatissa sain nopeasti apua",
    "etävastaanotto toimi hienosti",
    "ajan siirtäminen onnistui helposti tekstiviestillä",
};
constexpr std::string_view kFiStaffComplaints[] = {
    "@ oli tyly",
    "@ ei juuri kuunnellut minua",
    "@ vaikutti kiireiseltä ja välinpitämättömältä",
    "vastaanotossa minua kohdeltiin epäystävällisesti",
    "minua ei otettu tosissaan",
};
constexpr std::string_view kFiSkillComplaints[] = {
    "@ ei tuntunut tietävän, mitä tehdä",
    "diagnoosi jäi epäselväksi",
    "tutkimukset tehtiin huolimattomasti",
    "verikokeen otto epäonnistui kolme kertaa",
};
constexpr std::string_view kFiCareComplaints[] = {
    "hoito jäi kesken",
    "vaivaani ei hoidettu kunnolla",
    "minut kotiutettiin liian aikaisin",
    "kipulääkettä sai odottaa pitkään",
    "jouduin tulemaan uudestaan samasta asiasta",
};
constexpr std::string_view kFiInformationComplaints[] = {
    "ohjeet olivat epäselvät",
    "kukaan ei kertonut, mitä seuraavaksi tapahtuu",
    "tietoa jatkohoidosta ei annettu",
    "@ puhui niin nopeasti, etten ymmärtänyt kaikkea",
    "tulokset tulivat ilman mitään selitystä",
};
constexpr std::string_view kFiWaitingComplaints[] = {
    "jouduin odottamaan yli #h tuntia",
    "odotin vastaanotolle #m minuuttia yli varatun ajan",
    "jonotin puhelimessa #m minuuttia",
    "odotusaika oli aivan liian pitkä",
    "aikaa sai odottaa #w viikkoa",
    "kukaan ei kertonut, kauanko joudun odottamaan",
};
constexpr std::string_view kFiFacilitiesComplaints[] = {
    "pysäköintipaikkoja oli liian vähän",
    "parkkimaksu oli kohtuuton",
    "odotustila oli ahdas ja meluisa",
    "ruoka oli kylmää",
    "opasteet olivat huonot ja eksyin käytävillä",
    "huoneessa oli tukalan kuuma",
};
constexpr std::string_view kFiDigitalComplaints[] = {
    "ajanvaraus netissä ei toiminut",
    "tekstiviesti tuli väärään aikaan",
    "takaisinsoittoa ei koskaan tullut",
    "puhelimeen ei vastattu",
    "etävastaanoton yhteys katkesi monta kertaa",
};
constexpr std::string_view kFiPraiseAlone[] = {
    "kiitos!", "kiitos hyvästä hoidosta!", "erinomaista palvelua.", "kaikki meni hyvin.",
    "ei moitittavaa.", "hyvä kokemus kaikin puolin.", "suosittelen lämpimästi.",
    "parasta palvelua pitkään aikaan.",
};
constexpr std::string_view kFiComplaintAlone[] = {
    "huono kokemus.", "en suosittele.", "todella pettynyt.", "ala-arvoista palvelua.",
    "ei näin.",
};
constexpr std::string_view kFiNeutralAlone[] = {
    "ihan ok.", "perusvarma käynti.", "ei erityistä sanottavaa.",
    "ihan hyvä, ei mitään ihmeellistä.", "kohtalainen kokemus.",
};
constexpr std::string_view kFiSuggestions[] = {
    "parkkipaikkoja voisi olla enemmän.",
    "odotustilaan voisi tuoda lisää istumapaikkoja.",
    "tekstiviestimuistutus olisi hyvä saada aiemmin.",
    "ajanvarausta voisi kehittää.",
    "opasteita voisi selkeyttää.",
    "puhelinpalveluun toivoisin lisää henkilökuntaa.",
};
constexpr std::string_view kFiThanks[] = {
    "kiitos!", "jatkakaa samaan malliin!", "iso kiitos koko tiimille.", "suosittelen.",
};
constexpr std::string_view kFiGrievances[] = {
    "toivottavasti asiaan puututaan.", "tähän pitää saada muutos.", "olen todella pettynyt.",
    "harkitsen muistutuksen tekemistä.",
};
constexpr std::string_view kFiPhoneIntros[] = {
    "soittakaa minulle numeroon ", "voitte soittaa numeroon ", "ottakaa yhteyttä, puh. ",
};
constexpr std::string_view kFiEmailIntros[] = {
    "vastatkaa minulle osoitteeseen ", "sähköpostini on ",
};
constexpr std::string_view kFiIdIntros[] = {
    "henkilötunnukseni on ", "tarkistakaa tietoni, hetu ",
};

const LanguageTexts kFinnish = {
    {kFiStaffPraise, kFiSkillPraise, kFiCarePraise, kFiInformationPraise, kFiWaitingPraise,
     kFiFacilitiesPraise, kFiDigitalPraise},
    {kFiStaffComplaints, kFiSkillComplaints, kFiCareComplaints, kFiInformationComplaints,
     kFiWaitingComplaints, kFiFacilitiesComplaints, kFiDigitalComplaints},
    kFiPraiseAlone, kFiComplaintAlone, kFiNeutralAlone, kFiSuggestions, kFiThanks, kFiGrievances,
    " ja ", ", mutta ",
    {"hoitaja", "lääkäri", "henkilökunta", "terveydenhoitaja", "hammaslääkäri", "suuhygienisti",
     "fysioterapeutti", "kätilö", "laboratoriohoitaja", "psykologi", "röntgenhoitaja"},
    kFiPhoneIntros, kFiEmailIntros, kFiIdIntros,
};

// --- Swedish -----------------------------------------------------------------------------------

constexpr std::string_view kSvStaffPraise[] = {
    "@ var mycket vänlig",
    "@ var trevlig och tillmötesgående",
    "personalen var vänlig och hjälpsam",
    "@ lyssnade och tog mig på allvar",
    "jag blev väl bemött",
    "@ var lugn och empatisk",
};
constexpr std::string_view kSvSkillPraise[] = {
    "@ var mycket kunnig",
    "@ var professionell och noggrann",
    "undersökningen gjordes grundligt",
    "jag kände mig trygg hela tiden",
};
constexpr std::string_view kSvCarePraise[] = {
    "vården var utmärkt",
    "jag fick precis den hjälp jag behövde",
    "allt fungerade smidigt",
    "smärtlindringen fungerade bra",
    "jag mår mycket bättre nu",
};
constexpr std::string_view kSvInformationPraise[] = {
    "@ förklarade allt tydligt",
    "instruktionerna var tydliga",
    "jag fick bra information om den fortsatta vården",
    "@ svarade på alla mina frågor",
    "jag fick service på svenska",
};
constexpr std::string_view kSvWaitingPraise[] = {
    "jag kom in direkt på utsatt tid",
    "väntetiden var kort",
    "jag fick snabbt en tid",
    "jag fick tid redan samma dag",
};
constexpr std::string_view kSvFacilitiesPraise[] = {
    "lokalerna var rena och trivsamma",
    "maten var god",
    "det var lätt att hitta",
    "det var lätt att parkera",
};
constexpr std::string_view kSvDigitalPraise[] = {
    "det var lätt att boka tid på nätet",
    "sms-påminnelsen var praktisk",
    "distansmottagningen fungerade bra",
    "jag fick snabbt hjälp i chatten",
};
constexpr std::string_view kSvStaffComplaints[] = {
    "@ var otrevlig",
    "@ lyssnade inte på mig",
    "@ verkade stressad och ointresserad",
    "jag blev inte tagen på allvar",
};
constexpr std::string_view kSvSkillComplaints[] = {
    "@ verkade osäker",
    "diagnosen förblev oklar",
    "undersökningen gjordes slarvigt",
};
constexpr std::string_view kSvCareComplaints[] = {
    "vården blev halvfärdig",
    "jag skrevs ut för tidigt",
    "jag fick vänta länge på smärtstillande",
    "jag fick komma tillbaka för samma sak",
};
constexpr std::string_view kSvInformationComplaints[] = {
    "instruktionerna var otydliga",
    "ingen berättade vad som skulle hända härnäst",
    "jag fick ingen information om den fortsatta vården",
    "jag fick inte service på svenska",
    "@ talade bara finska med mig",
};
constexpr std::string_view kSvWaitingComplaints[] = {
    "jag fick vänta över #h timmar",
    "jag väntade #m minuter efter utsatt tid",
    "jag köade i telefon i #m minuter",
    "väntetiden var alldeles för lång",
    "jag fick vänta #w veckor på en tid",
};
constexpr std::string_view kSvFacilitiesComplaints[] = {
    "det fanns för få parkeringsplatser",
    "parkeringen var dyr",
    "väntrummet var trångt och stökigt",
    "maten var kall",
    "skyltningen var dålig",
};
constexpr std::string_view kSvDigitalComplaints[] = {
    "tidsbokningen på nätet fungerade inte",
    "ingen ringde tillbaka",
    "ingen svarade i telefon",
    "sms:et kom vid fel tidpunkt",
    "videoförbindelsen bröts flera gånger",
};
constexpr std::string_view kSvPraiseAlone[] = {
    "tack!", "tack för god vård!", "utmärkt service.", "allt gick bra.", "inget att klaga på.",
    "kan varmt rekommenderas.",
};
constexpr std::string_view kSvComplaintAlone[] = {
    "dålig upplevelse.", "kan inte rekommenderas.", "mycket besviken.", "under all kritik.",
};
constexpr std::string_view kSvNeutralAlone[] = {
    "helt okej.", "inget särskilt att tillägga.", "ganska bra, inget märkvärdigt.",
    "medelmåttigt.",
};
constexpr std::string_view kSvSuggestions[] = {
    "det borde finnas fler parkeringsplatser.",
    "väntrummet behöver fler sittplatser.",
    "sms-påminnelsen kunde komma tidigare.",
    "tidsbokningen kunde förbättras.",
    "skyltningen kunde vara tydligare.",
    "mera service på svenska skulle behövas.",
};
constexpr std::string_view kSvThanks[] = {
    "tack!", "fortsätt så!", "stort tack till hela teamet.",
};
constexpr std::string_view kSvGrievances[] = {
    "hoppas att detta åtgärdas.", "något måste förändras.", "jag är mycket besviken.",
};
constexpr std::string_view kSvPhoneIntros[] = {
    "ring mig på ", "ni når mig på numret ",
};
constexpr std::string_view kSvEmailIntros[] = {
    "min e-post är ", "svara gärna till ",
};
constexpr std::string_view kSvIdIntros[] = {
    "min personbeteckning är ", "kontrollera mina uppgifter, personbeteckning ",
};

const LanguageTexts kSwedish = {
    {kSvStaffPraise, kSvSkillPraise, kSvCarePraise, kSvInformationPraise, kSvWaitingPraise,
     kSvFacilitiesPraise, kSvDigitalPraise},
    {kSvStaffComplaints, kSvSkillComplaints, kSvCareComplaints, kSvInformationComplaints,
     kSvWaitingComplaints, kSvFacilitiesComplaints, kSvDigitalComplaints},
    kSvPraiseAlone, kSvComplaintAlone, kSvNeutralAlone, kSvSuggestions, kSvThanks, kSvGrievances,
    " och ", ", men ",
    {"skötaren", "läkaren", "personalen", "hälsovårdaren", "tandläkaren", "munhygienisten",
     "fysioterapeuten", "barnmorskan", "laboratorieskötaren", "psykologen", "röntgenskötaren"},
    kSvPhoneIntros, kSvEmailIntros, kSvIdIntros,
};

// --- English -----------------------------------------------------------------------------------

constexpr std::string_view kEnStaffPraise[] = {
    "@ was very friendly",
    "@ was kind and polite",
    "the staff were friendly and helpful",
    "@ listened and took my concerns seriously",
    "I was treated with respect",
};
constexpr std::string_view kEnSkillPraise[] = {
    "@ was very professional",
    "@ clearly knew what they were doing",
    "the examination was thorough",
    "I felt safe the whole time",
};
constexpr std::string_view kEnCarePraise[] = {
    "the care was excellent",
    "I got exactly the help I needed",
    "everything went smoothly",
    "the pain relief worked well",
};
constexpr std::string_view kEnInformationPraise[] = {
    "@ explained everything clearly",
    "the instructions were clear",
    "I got good information about the follow-up",
    "@ answered all my questions",
    "I was served in English without any problem",
};
constexpr std::string_view kEnWaitingPraise[] = {
    "I got in right on time",
    "the waiting time was short",
    "I got an appointment quickly",
    "I got an appointment the same day",
};
constexpr std::string_view kEnFacilitiesPraise[] = {
    "the premises were clean and pleasant",
    "the food was good",
    "the place was easy to find",
    "parking was easy",
};
constexpr std::string_view kEnDigitalPraise[] = {
    "booking online was easy",
    "the SMS reminder was handy",
    "the remote appointment worked well",
    "the chat service helped me quickly",
};
constexpr std::string_view kEnStaffComplaints[] = {
    "@ was rude",
    "@ did not listen to me",
    "@ seemed rushed and uninterested",
    "I was not taken seriously",
};
constexpr std::string_view kEnSkillComplaints[] = {
    "@ seemed unsure what to do",
    "the diagnosis remained unclear",
    "the examination felt careless",
};
constexpr std::string_view kEnCareComplaints[] = {
    "the treatment was left unfinished",
    "I was discharged too early",
    "I had to wait a long time for pain medication",
    "I had to come back for the same problem",
};
constexpr std::string_view kEnInformationComplaints[] = {
    "the instructions were unclear",
    "nobody told me what would happen next",
    "I got no information about the follow-up",
    "it was hard to get service in English",
};
constexpr std::string_view kEnWaitingComplaints[] = {
    "I had to wait over #h hours",
    "I waited #m minutes past my appointment time",
    "I queued on the phone for #m minutes",
    "the waiting time was far too long",
    "I had to wait #w weeks for an appointment",
};
constexpr std::string_view kEnFacilitiesComplaints[] = {
    "there were too few parking spaces",
    "parking was expensive",
    "the waiting room was cramped and noisy",
    "the food was cold",
    "the signs were confusing",
};
constexpr std::string_view kEnDigitalComplaints[] = {
    "online booking did not work",
    "nobody called me back",
    "nobody answered the phone",
    "the SMS came at the wrong time",
    "the video connection kept dropping",
};
constexpr std::string_view kEnPraiseAlone[] = {
    "thank you!", "excellent service.", "everything went well.", "nothing to complain about.",
    "highly recommended.",
};
constexpr std::string_view kEnComplaintAlone[] = {
    "bad experience.", "would not recommend.", "very disappointed.", "unacceptable service.",
};
constexpr std::string_view kEnNeutralAlone[] = {
    "it was ok.", "nothing special to add.", "fine, nothing remarkable.", "an average visit.",
};
constexpr std::string_view kEnSuggestions[] = {
    "there should be more parking spaces.",
    "the waiting room needs more seats.",
    "the SMS reminder could come earlier.",
    "online booking could be improved.",
    "the signs could be clearer.",
    "more information in English would help.",
};
constexpr std::string_view kEnThanks[] = {
    "thank you!", "keep up the good work!", "many thanks to the whole team.",
};
constexpr std::string_view kEnGrievances[] = {
    "I hope this will be fixed.", "something has to change.", "I am very disappointed.",
};
constexpr std::string_view kEnPhoneIntros[] = {
    "please call me on ", "you can reach me at ",
};
constexpr std::string_view kEnEmailIntros[] = {
    "my email is ", "please reply to ",
};
constexpr std::string_view kEnIdIntros[] = {
    "my personal identity code is ", "please check my records, ID code ",
};

const LanguageTexts kEnglish = {
    {kEnStaffPraise, kEnSkillPraise, kEnCarePraise, kEnInformationPraise, kEnWaitingPraise,
     kEnFacilitiesPraise, kEnDigitalPraise},
    {kEnStaffComplaints, kEnSkillComplaints, kEnCareComplaints, kEnInformationComplaints,
     kEnWaitingComplaints, kEnFacilitiesComplaints, kEnDigitalComplaints},
    kEnPraiseAlone, kEnComplaintAlone, kEnNeutralAlone, kEnSuggestions, kEnThanks, kEnGrievances,
    " and ", ", but ",
    {"the nurse", "the doctor", "the staff", "the public health nurse", "the dentist",
     "the dental hygienist", "the physiotherapist", "the midwife", "the lab nurse",
     "the psychologist", "the radiographer"},
    kEnPhoneIntros, kEnEmailIntros, kEnIdIntros,
};

// clang-format on
// --- Personal data -----------------------------------------------------------------------------

// Plain ASCII, as people type them into addresses; example.* domains are reserved, so no real
// mailbox is ever named.
constexpr std::string_view kFirstNames[] = {
    "matti", "maija", "juha",   "anna", "mikko", "laura",  "jari",  "sanna",
    "timo",  "kaisa", "erik",   "ulla", "johan", "ingrid", "pekka", "helena",
    "ville", "emma",  "oskari", "aino", "elsa",  "leo",
};
constexpr std::string_view kLastNames[] = {
    "virtanen",  "korhonen", "nieminen", "makinen",  "hamalainen", "laine",
    "heikkinen", "koskinen", "jarvinen", "lindholm", "nyberg",     "karlsson",
    "lindqvist", "salonen",  "lehtonen", "heinonen", "sjoberg",    "holmstrom",
};
constexpr std::string_view kMailDomains[] = {"example.fi", "example.com", "example.net",
                                             "example.org"};
constexpr std::string_view kMobilePrefixes[] = {"40", "41", "44", "45", "46", "50"};
// The check characters of a personal identity code, indexed by the nine digits modulo 31.
constexpr std::string_view kIdCheckCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";

template <typename T>
const T& Pick(Rng& rng, std::span<const T> items) {
  return items[rng.Below(static_cast<uint32_t>(items.size()))];
}

void AppendDigits(Rng& rng, int count, std::string& out) {
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng.Below(10));
}

void AppendNumber(int value, std::string& out) {
  if (value >= 10) AppendNumber(value / 10, out);
  out += static_cast<char>('0' + value % 10);
}

void AppendTwoDigits(int value, std::string& out) {
  out += static_cast<char>('0' + value / 10);
  out += static_cast<char>('0' + value % 10);
}

// The formats people actually use, all of which the redaction stage recognises.
void AppendPhoneNumber(Rng& rng, std::string& out) {
  std::string_view prefix = Pick<std::string_view>(rng, kMobilePrefixes);
  switch (rng.Below(4)) {
    case 0:  // 0401234567
      out += '0';
      out += prefix;
      AppendDigits(rng, 7, out);
      break;
    case 1:  // 040-123 4567
      out += '0';
      out += prefix;
      out += '-';
      AppendDigits(rng, 3, out);
      out += ' ';
      AppendDigits(rng, 4, out);
      break;
    case 2:  // +358 40 123 4567
      out += "+358 ";
      out += prefix;
      out += ' ';
      AppendDigits(rng, 3, out);
      out += ' ';
      AppendDigits(rng, 4, out);
      break;
    default:  // 040 123 4567
      out += '0';
      out += prefix;
      out += ' ';
      AppendDigits(rng, 3, out);
      out += ' ';
      AppendDigits(rng, 4, out);
      break;
  }
}

void AppendEmail(Rng& rng, std::string& out) {
  std::string_view first = Pick<std::string_view>(rng, kFirstNames);
  std::string_view last = Pick<std::string_view>(rng, kLastNames);
  switch (rng.Below(3)) {
    case 0:
      out += first;
      out += '.';
      out += last;
      break;
    case 1:
      out += first[0];
      out += '.';
      out += last;
      break;
    default:
      out += first;
      out += last;
      AppendDigits(rng, 2, out);
      break;
  }
  out += '@';
  out += Pick<std::string_view>(rng, kMailDomains);
}

// A well-formed code (DDMMYYCZZZQ) with a correct check character, so that both a lenient and
// a validating redactor must catch it.
void AppendIdentityCode(Rng& rng, std::string& out) {
  int day = 1 + static_cast<int>(rng.Below(28));
  int month = 1 + static_cast<int>(rng.Below(12));
  int year = 1925 + static_cast<int>(rng.Below(85));
  int individual = 2 + static_cast<int>(rng.Below(898));
  int yy = year % 100;
  int64_t nine_digits = (static_cast<int64_t>(day) * 10000 + month * 100 + yy) * 1000 + individual;
  AppendTwoDigits(day, out);
  AppendTwoDigits(month, out);
  AppendTwoDigits(yy, out);
  out += year >= 2000 ? 'A' : '-';
  out += static_cast<char>('0' + individual / 100);
  AppendTwoDigits(individual % 100, out);
  out += kIdCheckCharacters[static_cast<size_t>(nine_digits % 31)];
}

// --- Sentences ---------------------------------------------------------------------------------

// Upper-cases the letter at out[pos]: ASCII, and the two-byte UTF-8 Latin-1 letters that
// start Finnish and Swedish words (ä, ö, å).
void Capitalise(std::string& out, size_t pos) {
  if (pos >= out.size()) return;
  char& c = out[pos];
  if (c >= 'a' && c <= 'z') {
    c = static_cast<char>(c - 'a' + 'A');
  } else if (static_cast<unsigned char>(c) == 0xC3 && pos + 1 < out.size()) {
    auto next = static_cast<unsigned char>(out[pos + 1]);
    if (next >= 0xA0 && next <= 0xBE && next != 0xB7) out[pos + 1] = static_cast<char>(next - 0x20);
  }
}

class CommentBuilder {
 public:
  CommentBuilder(Rng& rng, const LanguageTexts& texts, std::span<const Role> roles, bool emergency,
                 std::string& out)
      : rng_(rng), texts_(texts), roles_(roles), emergency_(emergency), out_(out) {
    out_.clear();
  }

  void Promoter(int score) {
    if (rng_.Chance(0.18)) {
      Alone(texts_.praise_alone);
      if (rng_.Chance(0.3)) ClauseSentence(/*praise=*/true, 1);
      return;
    }
    bool opened = rng_.Chance(0.12);
    if (opened) Alone(texts_.praise_alone);
    double r = rng_.Uniform();
    ClauseSentence(/*praise=*/true, r < 0.5 ? 1 : r < 0.85 ? 2 : 3);
    if (score == 9 && rng_.Chance(0.15)) Alone(texts_.suggestions);
    // Not both an opening and a closing thanks: "Kiitos! ... Kiitos!" reads like a template.
    if (!opened && rng_.Chance(0.25)) Alone(texts_.thanks);
  }

  void Passive() {
    double r = rng_.Uniform();
    if (r < 0.5) {
      ButSentence();
      if (rng_.Chance(0.3)) Alone(texts_.suggestions);
    } else if (r < 0.75) {
      Alone(texts_.neutral_alone);
      if (rng_.Chance(0.6)) Alone(texts_.suggestions);
    } else {
      ClauseSentence(/*praise=*/true, 1);
      Alone(texts_.suggestions);
    }
  }

  void Detractor() {
    double r = rng_.Uniform();
    if (r < 0.12) {
      Alone(texts_.complaint_alone);
      if (rng_.Chance(0.5)) ClauseSentence(/*praise=*/false, 1);
    } else if (r < 0.3) {
      ButSentence();
      if (rng_.Chance(0.5)) ClauseSentence(/*praise=*/false, 1);
    } else {
      double k = rng_.Uniform();
      ClauseSentence(/*praise=*/false, k < 0.45 ? 1 : k < 0.85 ? 2 : 3);
    }
    if (rng_.Chance(0.3)) Alone(texts_.grievances);
  }

  void PersonalData() {
    size_t start = BeginSentence();
    switch (rng_.Below(3)) {
      case 0:
        out_ += Pick(rng_, texts_.phone_intros);
        AppendPhoneNumber(rng_, out_);
        break;
      case 1:
        out_ += Pick(rng_, texts_.email_intros);
        AppendEmail(rng_, out_);
        break;
      default:
        out_ += Pick(rng_, texts_.id_intros);
        AppendIdentityCode(rng_, out_);
        break;
    }
    out_ += '.';
    Capitalise(out_, start);
  }

 private:
  size_t BeginSentence() {
    if (!out_.empty()) out_ += ' ';
    return out_.size();
  }

  void Alone(Phrases phrases) {
    size_t start = BeginSentence();
    out_ += Pick(rng_, phrases);
    Capitalise(out_, start);
  }

  // `count` clauses of one tone, each on a different theme. Two simple clauses share a sentence
  // joined by "and"; a clause that already has its own "and" or comma gets a sentence of its
  // own, since "A and B and C" reads badly.
  void ClauseSentence(bool praise, int count) {
    size_t start = BeginSentence();
    std::string_view previous;
    for (int i = 0; i < count; ++i) {
      std::string_view clause =
          Pick(rng_, (praise ? texts_.praise : texts_.complaints)[PickTheme(praise)]);
      if (i > 0) {
        if (i == 1 && IsSimple(previous) && IsSimple(clause)) {
          out_ += texts_.and_word;
        } else {
          out_ += '.';
          Capitalise(out_, start);
          start = BeginSentence();
        }
      }
      Expand(clause);
      previous = clause;
    }
    out_ += '.';
    Capitalise(out_, start);
  }

  bool IsSimple(std::string_view clause) const {
    return clause.find(',') == std::string_view::npos &&
           clause.find(texts_.and_word) == std::string_view::npos;
  }

  // "Good thing, but bad thing." on two different themes.
  void ButSentence() {
    Theme good = PickTheme(/*praise=*/true);
    used_themes_[good] = true;  // "friendly, but unfriendly" would contradict itself
    Theme bad = PickTheme(/*praise=*/false);
    size_t start = BeginSentence();
    Expand(Pick(rng_, texts_.praise[good]));
    out_ += texts_.but_word;
    Expand(Pick(rng_, texts_.complaints[bad]));
    out_ += '.';
    Capitalise(out_, start);
  }

  // Returns a theme not yet used in this comment (any theme once all are used), so that a
  // comment does not complain about waiting twice over.
  Theme PickTheme(bool praise) {
    std::array<double, kThemeCount> weights = praise ? kPraiseThemeWeights : kComplaintThemeWeights;
    if (emergency_ && !praise) weights[kWaitingTheme] *= 2;
    double total = 0;
    for (size_t i = 0; i < kThemeCount; ++i) {
      if (used_themes_[i]) weights[i] = 0;
      total += weights[i];
    }
    if (total <= 0) {
      used_themes_.fill(false);
      return PickTheme(praise);
    }
    double x = rng_.Uniform() * total;
    size_t chosen = kThemeCount - 1;
    for (size_t i = 0; i < kThemeCount; ++i) {
      if (weights[i] > 0 && x < weights[i]) {
        chosen = i;
        break;
      }
      x -= weights[i];
    }
    while (weights[chosen] <= 0) --chosen;  // rounding at the very end of the range
    used_themes_[chosen] = true;
    return static_cast<Theme>(chosen);
  }

  // Returns a role not yet named in this comment when the unit has another, so that one
  // sentence does not say "the doctor ... and the doctor ...".
  Role PickRole() {
    Role role = Pick(rng_, roles_);
    for (size_t attempt = 0; attempt < 4 && used_roles_[static_cast<size_t>(role)]; ++attempt) {
      role = Pick(rng_, roles_);
    }
    used_roles_[static_cast<size_t>(role)] = true;
    return role;
  }

  void Expand(std::string_view clause) {
    for (size_t i = 0; i < clause.size(); ++i) {
      char c = clause[i];
      if (c == '@') {
        out_ += texts_.roles[static_cast<size_t>(PickRole())];
      } else if (c == '#' && i + 1 < clause.size()) {
        static constexpr int kMinutes[] = {15, 20, 30, 40, 45, 60, 90};
        switch (clause[++i]) {
          case 'h':
            AppendNumber(2 + static_cast<int>(rng_.Below(4)), out_);
            break;
          case 'm':
            AppendNumber(Pick<int>(rng_, kMinutes), out_);
            break;
          default:
            AppendNumber(2 + static_cast<int>(rng_.Below(7)), out_);
            break;
        }
      } else {
        out_ += c;
      }
    }
  }

  Rng& rng_;
  const LanguageTexts& texts_;
  std::span<const Role> roles_;
  bool emergency_;
  std::string& out_;
  std::array<bool, kThemeCount> used_themes_{};
  std::array<bool, static_cast<size_t>(Role::kCount)> used_roles_{};
};

const LanguageTexts& TextsFor(Language language) {
  switch (language) {
    case Language::kSv:
      return kSwedish;
    case Language::kEn:
      return kEnglish;
    default:
      return kFinnish;
  }
}

}  // namespace

void WriteComment(Rng& rng, Language language, int score, StaffClass staff, bool emergency,
                  std::string& out) {
  CommentBuilder builder(rng, TextsFor(language), RolesOf(staff), emergency, out);
  if (score >= 9) {
    builder.Promoter(score);
  } else if (score >= 7) {
    builder.Passive();
  } else {
    builder.Detractor();
  }
  if (rng.Chance(kPersonalDataShare)) builder.PersonalData();
}

}  // namespace mittari::demo::internal
