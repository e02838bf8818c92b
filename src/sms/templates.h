// File: sms/templates.h
//
// The texts Mittari sends by SMS, in Finnish, Swedish and English (any other language gets
// English), and filling in the one placeholder they may contain, {unit}: the name of the unit
// the patient visited, put first ("Kallion terveysasema: Kuinka todennäköisesti...") so that
// no language has to inflect a name it cannot know.
//
// Every default text is plain GSM-7 and fits one SMS part (160 septets), so a patient is
// never billed for two parts and a phone never switches to UCS-2's 70 characters; the
// invitations leave room for a unit name of 25 characters. Hence "0-10" with a hyphen: an en
// dash, curly quotes or "…" would turn the whole message into UCS-2.
//
// Thread-safe (pure functions over constant tables).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/enums.h"

namespace mittari::sms {

enum class MessageKind {
  kInvitation,          // asks for the 0-10 score, says how to opt out; contains {unit}
  kOptOutConfirmation,  // answers STOP / LOPETA / SLUTA
  kClarification,       // answers a reply in which no score could be read
  kClosed,              // answers a reply that came after the survey closed
};

// The built-in text of `kind` in `language`; Language::kOther gets English.
std::string_view DefaultMessage(MessageKind kind, Language language);

// "invitation", "opt_out_confirmation", "clarification", "closed": the names used in
// configuration and logs.
std::string_view MessageKindName(MessageKind kind);

// Returns `template_text` with every "{unit}" replaced by `unit_name`. Any other "{...}", or a
// "{" that is never closed, is InvalidArgument naming it: a misspelt placeholder must not
// reach patients as literal braces.
Result<std::string> RenderMessage(std::string_view template_text, std::string_view unit_name);

}  // namespace mittari::sms
