// File: web/form_pages.h
//
// The HTML of the patient feedback form and the small pages around it (thank-you, and the
// pages for a used, unknown or expired link, too many requests and a server error), as pure
// functions from data to a complete UTF-8 document. Nothing here speaks HTTP: the server
// chooses the page and the status code and sets the headers.
//
// The pages are built for a patient on a phone, possibly using a screen reader or only a
// keyboard, and possibly with JavaScript off: there is no script and no external resource
// (the CSS is inline), so a page works with a Content-Security-Policy of
// "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'". The form posts
// application/x-www-form-urlencoded fields `score` (0..10), `comment`, `lang` and, when a
// token is given, `csrf`.
//
// Every string that comes from a FormPage is HTML-escaped here; callers pass plain text.
// Bytes are otherwise copied as they are, so callers should pass valid UTF-8 (see
// common/utf8.h); the form itself is declared and submitted as UTF-8.
//
// Thread-safe: all functions are pure and keep no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mittari::web {

// The languages a patient can answer in: the two official languages and English.
enum class PageLanguage { kFi, kSv, kEn };

// Returns the language for "fi", "sv" or "en" (exactly these lowercase codes, as the form's
// `lang` field and the language links send them), or nullopt for anything else.
std::optional<PageLanguage> ParsePageLanguage(std::string_view code);

// Returns "fi", "sv" or "en".
std::string_view PageLanguageCode(PageLanguage language);

// What the form page shows. Only `language` and `action` are needed for a first visit; the
// last three fields are for showing the form again after the server rejected a submission.
struct FormPage {
  PageLanguage language = PageLanguage::kFi;
  // Already in `language`; shown as "Your visit to <unit>" (omitted when empty).
  std::string unit_name;
  // The URL the form posts to, e.g. "/f/abc123". The language links are this URL with
  // "?lang=xx" (or "&lang=xx" when it already has a query) appended.
  std::string action;
  // Sent back as the hidden field "csrf"; when empty there is no such field.
  std::string csrf_token;
  // Shown above the form when non-empty, e.g. FormText(language, FormMessage::kChooseScore).
  std::string error;
  // The radio to show as selected; out-of-range values select nothing.
  std::optional<int> chosen_score;
  // The text to put back in the comment box.
  std::string comment;
};

// Returns the complete form page.
std::string RenderForm(const FormPage& page);

// Returns the complete page shown after a successful submission.
std::string RenderThankYou(PageLanguage language);

// Why the form cannot be shown or the answer was not saved.
enum class FormProblem {
  kAlreadyAnswered,   // the single-use link has been used
  kUnknownLink,       // no such link, or it has expired
  kTooManyRequests,   // rate limited
  kServerError,       // anything else; the patient can only try again later
};

// Returns a complete small page explaining `problem` to the patient.
std::string RenderProblem(PageLanguage language, FormProblem problem);

// The validation errors the server reports on the form page.
enum class FormMessage {
  kChooseScore,      // no score, or not a whole number from 0 to 10
  kCommentTooLong,   // more than kMaxCommentCharacters characters
};

// The longest comment the form lets a patient type, in characters (code points on the
// server; browsers count UTF-16 units, which is never fewer).
inline constexpr int kMaxCommentCharacters = 2000;

// Returns the message in `language`, e.g. "Please choose a number from 0 to 10." The view
// refers to static storage and stays valid for the life of the program.
std::string_view FormText(PageLanguage language, FormMessage message);

// Returns `text` with & < > " ' replaced by character references, which makes it safe both
// as element content and inside a double- or single-quoted attribute value.
std::string HtmlEscape(std::string_view text);

}  // namespace mittari::web
