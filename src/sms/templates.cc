#include "sms/templates.h"

#include <fmt/format.h>

namespace mittari::sms {
namespace {

constexpr std::string_view kUnitPlaceholder = "{unit}";
constexpr size_t kQuotedLength = 20;  // enough of an unclosed "{..." to find it in the text

struct Texts {
  std::string_view fi, sv, en;
};

// Finnish: the "{unit}:" lead-in avoids inflecting the unit name ("suosittelisit Kallion
// terveysasemaa"), which a template cannot do. The opt-out word is the patient's own
// language; ParseReply accepts all three whichever language the invitation was in.
constexpr Texts kInvitation{
    "{unit}: Kuinka todennäköisesti suosittelisit meitä läheisillesi? Vastaa numerolla 0-10 ja "
    "halutessasi kommentilla. Kyselyt pois: LOPETA",
    "{unit}: Hur troligt är det att du rekommenderar oss till vänner och familj? Svara 0-10, "
    "gärna med en kommentar. Svara SLUTA för att avsluta.",
    "{unit}: How likely are you to recommend us to friends and family? Reply with a number 0-10 "
    "and a comment if you like. Reply STOP to opt out.",
};
constexpr Texts kOptOutConfirmation{
    "Selvä, emme lähetä sinulle enää kyselyviestejä.",
    "Du får inga fler enkätmeddelanden från oss.",
    "You will get no more survey messages from us.",
};
constexpr Texts kClarification{
    "Vastauksestasi ei löytynyt arviota. Vastaa numerolla 0-10, esimerkiksi 8. Voit kirjoittaa "
    "kommentin numeron perään.",
    "Vi hittade inget betyg i ditt svar. Svara med en siffra 0-10, till exempel 8. Du kan skriva "
    "en kommentar efter siffran.",
    "Sorry, we could not find a score in your reply. Please reply with a number 0-10, for "
    "example 8. You may add a comment after it.",
};
constexpr Texts kClosed{
    "Kiitos! Tämä kysely on jo päättynyt, eikä siihen voi enää vastata.",
    "Tack! Enkäten har redan avslutats och tar inte emot fler svar.",
    "Thank you! This survey has closed and no longer accepts replies.",
};

// At most `max_bytes` of `text`, cut at a character boundary so the error stays valid UTF-8.
std::string_view Beginning(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

const Texts& TextsOf(MessageKind kind) {
  switch (kind) {
    case MessageKind::kInvitation:
      return kInvitation;
    case MessageKind::kOptOutConfirmation:
      return kOptOutConfirmation;
    case MessageKind::kClarification:
      return kClarification;
    case MessageKind::kClosed:
      return kClosed;
  }
  return kClarification;  // unreachable for a valid enumerator
}

}  // namespace

std::string_view DefaultMessage(MessageKind kind, Language language) {
  const Texts& texts = TextsOf(kind);
  switch (language) {
    case Language::kFi:
      return texts.fi;
    case Language::kSv:
      return texts.sv;
    default:
      return texts.en;
  }
}

std::string_view MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kInvitation:
      return "invitation";
    case MessageKind::kOptOutConfirmation:
      return "opt_out_confirmation";
    case MessageKind::kClarification:
      return "clarification";
    case MessageKind::kClosed:
      return "closed";
  }
  return "unknown";
}

Result<std::string> RenderMessage(std::string_view template_text, std::string_view unit_name) {
  std::string out;
  out.reserve(template_text.size() + unit_name.size());
  size_t i = 0;
  while (i < template_text.size()) {
    size_t open = template_text.find('{', i);
    if (open == std::string_view::npos) {
      out += template_text.substr(i);
      break;
    }
    out += template_text.substr(i, open - i);
    size_t close = template_text.find('}', open);
    if (close == std::string_view::npos) {
      return InvalidArgumentError(fmt::format(
          "the message has '{}' that is never closed with '}}'; the only placeholder is {}",
          Beginning(template_text.substr(open), kQuotedLength), kUnitPlaceholder));
    }
    std::string_view placeholder = template_text.substr(open, close - open + 1);
    if (placeholder != kUnitPlaceholder) {
      return InvalidArgumentError(
          fmt::format("the message has an unknown placeholder {}; the only placeholder is {}",
                      placeholder, kUnitPlaceholder));
    }
    out += unit_name;  // not scanned again: a unit called "{x}" is just a name
    i = close + 1;
  }
  return out;
}

}  // namespace mittari::sms
