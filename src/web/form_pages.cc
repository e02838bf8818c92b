#include "web/form_pages.h"

#include <array>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/utf8.h"

namespace mittari::web {
namespace {

// Every visible text of the pages in one language, so that a missing translation is a
// compile error (an unset member) rather than an English word on a Finnish page.
struct Texts {
  std::string_view code;
  std::string_view form_title;
  std::string_view error_title_prefix;  // GOV.UK practice: the tab title tells of the error too
  std::string_view visit_prefix;        // followed by the unit name
  std::string_view question;
  std::string_view scale_min;
  std::string_view scale_max;
  std::string_view comment_prompt;
  std::string_view personal_data_note;
  std::string_view submit;
  std::string_view language_nav_label;
  std::string_view link_text;           // how a link *to* this language reads, in this language
  std::string_view choose_score;
  std::string_view comment_too_long;
  std::string_view thanks_title;
  std::string_view thanks_body;
  std::string_view already_answered_title;
  std::string_view already_answered_body;
  std::string_view unknown_link_title;
  std::string_view unknown_link_body;
  std::string_view too_many_title;
  std::string_view too_many_body;
  std::string_view server_error_title;
  std::string_view server_error_body;
};

// Finnish and Swedish name the unit after a colon: "Your visit to X" would need X inflected
// (Finnish inessive/adessive, Swedish "på"/"i"), which a stored unit name cannot be.
constexpr Texts kFinnish{
    .code = "fi",
    .form_title = "Potilaspalaute",
    .error_title_prefix = "Virhe: ",
    .visit_prefix = "Käyntisi: ",
    .question = "Kuinka todennäköisesti suosittelisit meitä ystävillesi tai läheisillesi?",
    .scale_min = "Erittäin epätodennäköisesti",
    .scale_max = "Erittäin todennäköisesti",
    .comment_prompt = "Haluatko kertoa lisää? (vapaaehtoinen)",
    .personal_data_note =
        "Älä kirjoita henkilötietoja, kuten henkilötunnusta, puhelinnumeroa tai "
        "sähköpostiosoitetta.",
    .submit = "Lähetä",
    .language_nav_label = "Kieli",
    .link_text = "Suomeksi",
    .choose_score = "Valitse luku väliltä 0–10.",
    .comment_too_long = "Kommenttisi on liian pitkä (enintään 2000 merkkiä).",
    .thanks_title = "Kiitos palautteestasi!",
    .thanks_body = "Vastauksesi on tallennettu. Voit nyt sulkea tämän sivun.",
    .already_answered_title = "Tähän kyselyyn on jo vastattu",
    .already_answered_body =
        "Tämän linkin kautta on jo annettu palaute, eikä sitä voi antaa uudelleen. Kiitos!",
    .unknown_link_title = "Linkki ei ole voimassa",
    .unknown_link_body =
        "Linkki on vanhentunut tai virheellinen. Tarkista, että osoite on kokonainen.",
    .too_many_title = "Liian monta yritystä",
    .too_many_body = "Odota hetki ja yritä sitten uudelleen.",
    .server_error_title = "Jotain meni vikaan",
    .server_error_body = "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen.",
};

constexpr Texts kSwedish{
    .code = "sv",
    .form_title = "Patientrespons",
    .error_title_prefix = "Fel: ",
    .visit_prefix = "Ditt besök: ",
    .question =
        "Hur sannolikt är det att du skulle rekommendera oss till dina vänner eller anhöriga?",
    .scale_min = "Mycket osannolikt",
    .scale_max = "Mycket sannolikt",
    .comment_prompt = "Vill du berätta mer? (frivilligt)",
    .personal_data_note =
        "Skriv inte personuppgifter, till exempel personbeteckning, telefonnummer eller "
        "e-postadress.",
    .submit = "Skicka",
    .language_nav_label = "Språk",
    .link_text = "På svenska",
    .choose_score = "Välj ett tal från 0 till 10.",
    .comment_too_long = "Din kommentar är för lång (högst 2000 tecken).",
    .thanks_title = "Tack för din respons!",
    .thanks_body = "Ditt svar har sparats. Du kan nu stänga den här sidan.",
    .already_answered_title = "Enkäten har redan besvarats",
    .already_answered_body =
        "Respons har redan lämnats via den här länken och kan inte lämnas på nytt. Tack!",
    .unknown_link_title = "Länken är inte giltig",
    .unknown_link_body =
        "Länken har gått ut eller är felaktig. Kontrollera att adressen är fullständig.",
    .too_many_title = "För många försök",
    .too_many_body = "Vänta en stund och försök sedan igen.",
    .server_error_title = "Något gick fel",
    .server_error_body = "Ett fel uppstod i tjänsten. Försök igen senare.",
};

constexpr Texts kEnglish{
    .code = "en",
    .form_title = "Patient feedback",
    .error_title_prefix = "Error: ",
    .visit_prefix = "Your visit to ",
    .question = "How likely are you to recommend us to your friends or family?",
    .scale_min = "Very unlikely",
    .scale_max = "Very likely",
    .comment_prompt = "Would you like to tell us more? (optional)",
    .personal_data_note =
        "Please do not write personal data such as your personal identity code, phone "
        "number or e-mail address.",
    .submit = "Send",
    .language_nav_label = "Language",
    .link_text = "In English",
    .choose_score = "Please choose a number from 0 to 10.",
    .comment_too_long = "Your comment is too long (at most 2000 characters).",
    .thanks_title = "Thank you for your feedback!",
    .thanks_body = "Your answer has been saved. You can now close this page.",
    .already_answered_title = "This survey has already been answered",
    .already_answered_body =
        "Feedback has already been given through this link and cannot be given again. "
        "Thank you!",
    .unknown_link_title = "This link is not valid",
    .unknown_link_body =
        "The link has expired or is incorrect. Please check that the address is complete.",
    .too_many_title = "Too many attempts",
    .too_many_body = "Please wait a moment and then try again.",
    .server_error_title = "Something went wrong",
    .server_error_body = "The service ran into an error. Please try again later.",
};

constexpr std::array<PageLanguage, 3> kAllLanguages = {PageLanguage::kFi, PageLanguage::kSv,
                                                       PageLanguage::kEn};

const Texts& TextsFor(PageLanguage language) {
  switch (language) {
    case PageLanguage::kFi:
      return kFinnish;
    case PageLanguage::kSv:
      return kSwedish;
    case PageLanguage::kEn:
      return kEnglish;
  }
  return kFinnish;  // unreachable for valid enumerators; Finnish is the district's default
}

// Shared by every page. Design notes:
//  - Sizes are in rem so that the user's browser font setting scales everything; 1.125rem is
//    18px at the default setting (WCAG asks for nothing smaller than 16px in practice).
//  - Colours: #1a1a1a on #fff is 17:1; borders #4d4d4d are 8.5:1 (non-text needs 3:1);
//    the button blue #0b4f9c with white is 8:1; the focus outline #0b4f9c on white likewise.
//  - The radios themselves are visually hidden but stay in the tab order and the
//    accessibility tree; the label after each is what is seen and tapped. The checked label is
//    inverted AND gets a thicker border and bold text, so it does not rely on hue alone and
//    survives Windows high-contrast mode (where backgrounds are dropped but borders stay).
//  - The focus ring is drawn with `:focus` for old browsers and then removed again for mouse
//    and touch with `:focus:not(:focus-visible)`, a rule old browsers skip as a whole.
constexpr std::string_view kStyle = R"css(
html{font-size:100%;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#fff;color:#1a1a1a;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.125rem;line-height:1.5}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:0.5rem 0 1rem}
a{color:#0b4f9c;text-decoration:underline}
a:focus{outline:3px solid #0b4f9c;outline-offset:2px}
.lang{display:flex;flex-wrap:wrap;gap:0.25rem 1rem;justify-content:flex-end;margin:0;padding:0;list-style:none}
.lang a{display:inline-block;padding:0.625rem 0.25rem;min-height:44px;box-sizing:border-box}
.unit{margin:0 0 1rem;font-weight:600}
.error{border:2px solid #b3261e;border-left-width:0.5rem;padding:0.75rem 1rem;margin:0 0 1.25rem;font-weight:700}
fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
legend{font-size:1.25rem;font-weight:700;line-height:1.35;padding:0;margin:0 0 0.75rem}
.scale{display:flex;flex-wrap:wrap;gap:0.5rem}
.scale div{position:relative}
.scale input{position:absolute;top:0;left:0;width:1px;height:1px;margin:0;opacity:0}
.scale label{display:flex;align-items:center;justify-content:center;box-sizing:border-box;min-width:3rem;min-height:3rem;padding:0 0.25rem;border:2px solid #4d4d4d;border-radius:0.375rem;background:#fff;color:#1a1a1a;font-size:1.25rem;cursor:pointer;user-select:none}
.scale input:checked+label{border:4px solid #1a1a1a;background:#1a1a1a;color:#fff;font-weight:700;text-decoration:underline;text-underline-offset:0.2em}
.scale input:focus+label{outline:3px solid #0b4f9c;outline-offset:3px}
.scale input:focus:not(:focus-visible)+label{outline:none}
.ends{display:flex;justify-content:space-between;gap:1rem;margin:0.75rem 0 0;font-size:1rem}
.ends p{margin:0}
.ends p+p{text-align:right}
label.comment{display:block;font-weight:700;margin:0 0 0.25rem}
.hint{margin:0 0 0.5rem;font-size:1rem}
textarea{display:block;box-sizing:border-box;width:100%;min-height:8rem;padding:0.5rem;border:2px solid #4d4d4d;border-radius:0.25rem;font:inherit;color:#1a1a1a;background:#fff;resize:vertical}
textarea:focus{outline:3px solid #0b4f9c;outline-offset:2px}
textarea[aria-invalid=true]{border-color:#b3261e;border-width:3px}
button{display:inline-block;min-height:3rem;min-width:8rem;margin:1.5rem 0 2rem;padding:0.5rem 1.5rem;border:2px solid #0b4f9c;border-radius:0.375rem;background:#0b4f9c;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button:focus{outline:3px solid #1a1a1a;outline-offset:3px}
)css";

// Appends the document up to and including the opening <main>; `escaped_title` must already
// be escaped.
void AppendHead(std::string& out, const Texts& texts, std::string_view escaped_title) {
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += texts.code;
  out += "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // Feedback URLs carry single-use tokens: keep them out of search engines and out of
         // the Referer header of any link a patient might follow.
         "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<title>";
  out += escaped_title;
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n";
}

void AppendTail(std::string& out) { out += "</main>\n</body>\n</html>\n"; }

// Returns a page with a heading and one paragraph; the thank-you and problem pages.
std::string RenderMessagePage(const Texts& texts, std::string_view title, std::string_view body) {
  std::string out;
  const std::string escaped_title = HtmlEscape(title);
  AppendHead(out, texts, escaped_title);
  out += "<h1>";
  out += escaped_title;
  out += "</h1>\n<p>";
  out += HtmlEscape(body);
  out += "</p>\n";
  AppendTail(out);
  return out;
}

// Returns `action` with the language parameter added, not yet escaped.
std::string LanguageUrl(std::string_view action, PageLanguage language) {
  const char separator = action.find('?') == std::string_view::npos ? '?' : '&';
  return fmt::format("{}{}lang={}", action, separator, PageLanguageCode(language));
}

}  // namespace

std::optional<PageLanguage> ParsePageLanguage(std::string_view code) {
  for (PageLanguage language : kAllLanguages) {
    if (code == TextsFor(language).code) return language;
  }
  return std::nullopt;
}

std::string_view PageLanguageCode(PageLanguage language) { return TextsFor(language).code; }

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string_view FormText(PageLanguage language, FormMessage message) {
  const Texts& texts = TextsFor(language);
  switch (message) {
    case FormMessage::kChooseScore:
      return texts.choose_score;
    case FormMessage::kCommentTooLong:
      return texts.comment_too_long;
  }
  return texts.choose_score;
}

std::string RenderForm(const FormPage& page) {
  const Texts& texts = TextsFor(page.language);
  const bool has_error = !page.error.empty();
  const std::string action = HtmlEscape(page.action);

  std::string out;
  out.reserve(kStyle.size() + 6000 + page.comment.size());
  std::string title = HtmlEscape(texts.form_title);
  if (!page.unit_name.empty()) title += " – " + HtmlEscape(page.unit_name);
  if (has_error) title = HtmlEscape(texts.error_title_prefix) + title;
  AppendHead(out, texts, title);

  // Language links come first so that a patient who cannot read this language finds them
  // without reading past the form. Each link text is in its own language, hence `lang`.
  fmt::format_to(std::back_inserter(out), "<nav aria-label=\"{}\">\n<ul class=\"lang\">\n",
                 HtmlEscape(texts.language_nav_label));
  for (PageLanguage other : kAllLanguages) {
    if (other == page.language) continue;
    const Texts& other_texts = TextsFor(other);
    fmt::format_to(std::back_inserter(out),
                   "<li><a href=\"{}\" lang=\"{}\" hreflang=\"{}\">{}</a></li>\n",
                   HtmlEscape(LanguageUrl(page.action, other)), other_texts.code,
                   other_texts.code, HtmlEscape(other_texts.link_text));
  }
  out += "</ul>\n</nav>\n";

  fmt::format_to(std::back_inserter(out), "<h1>{}</h1>\n", HtmlEscape(texts.form_title));
  if (!page.unit_name.empty()) {
    fmt::format_to(std::back_inserter(out), "<p class=\"unit\">{}{}</p>\n",
                   HtmlEscape(texts.visit_prefix), HtmlEscape(page.unit_name));
  }
  if (has_error) {
    // role="alert" makes screen readers announce the message as the page loads.
    fmt::format_to(std::back_inserter(out),
                   "<div class=\"error\" id=\"form-error\" role=\"alert\">{}</div>\n",
                   HtmlEscape(page.error));
  }

  // No `required` or `novalidate` games: the browser's own validation bubbles speak the
  // browser's language, not the page's, so the server's localised message is the only one.
  fmt::format_to(std::back_inserter(out),
                 "<form method=\"post\" action=\"{}\" "
                 "enctype=\"application/x-www-form-urlencoded\" accept-charset=\"UTF-8\">\n",
                 action);
  fmt::format_to(std::back_inserter(out), "<input type=\"hidden\" name=\"lang\" value=\"{}\">\n",
                 texts.code);
  if (!page.csrf_token.empty()) {
    fmt::format_to(std::back_inserter(out),
                   "<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n",
                   HtmlEscape(page.csrf_token));
  }

  // The fieldset is a radiogroup so that aria-invalid is allowed on it (ARIA does not permit
  // it on a plain group); the legend still names it. The error is linked whatever it is about,
  // but the group is only marked invalid when no score was chosen, the one way it can be.
  const bool score_chosen =
      page.chosen_score.has_value() && *page.chosen_score >= 0 && *page.chosen_score <= 10;
  out += "<fieldset role=\"radiogroup\"";
  if (has_error) {
    out += " aria-describedby=\"form-error\"";
    if (!score_chosen) out += " aria-invalid=\"true\"";
  }
  fmt::format_to(std::back_inserter(out), ">\n<legend>{}</legend>\n<div class=\"scale\">\n",
                 HtmlEscape(texts.question));
  for (int score = 0; score <= 10; ++score) {
    std::string_view described_by;
    if (score == 0) described_by = " aria-describedby=\"score-min\"";
    if (score == 10) described_by = " aria-describedby=\"score-max\"";
    const bool checked = score_chosen && *page.chosen_score == score;
    fmt::format_to(std::back_inserter(out),
                   "<div><input type=\"radio\" name=\"score\" id=\"score-{0}\" value=\"{0}\"{1}{2}>"
                   "<label for=\"score-{0}\">{0}</label></div>\n",
                   score, described_by, checked ? " checked" : "");
  }
  fmt::format_to(std::back_inserter(out),
                 "</div>\n<div class=\"ends\">\n<p id=\"score-min\">0 = {}</p>\n"
                 "<p id=\"score-max\">10 = {}</p>\n</div>\n</fieldset>\n",
                 HtmlEscape(texts.scale_min), HtmlEscape(texts.scale_max));

  // A comment put back after an error may be over the limit (that may be the error); the
  // browser then lets the patient shorten it but not lengthen it.
  const bool comment_too_long =
      CountCodePoints(page.comment) > static_cast<size_t>(kMaxCommentCharacters);
  fmt::format_to(std::back_inserter(out),
                 "<label class=\"comment\" for=\"comment\">{}</label>\n"
                 "<p class=\"hint\" id=\"comment-hint\">{}</p>\n",
                 HtmlEscape(texts.comment_prompt), HtmlEscape(texts.personal_data_note));
  fmt::format_to(std::back_inserter(out),
                 "<textarea id=\"comment\" name=\"comment\" rows=\"6\" maxlength=\"{}\" "
                 "aria-describedby=\"comment-hint{}\"{}>",
                 kMaxCommentCharacters, has_error ? " form-error" : "",
                 has_error && comment_too_long ? " aria-invalid=\"true\"" : "");
  // The HTML parser drops one newline straight after <textarea>; this one is that newline,
  // so a comment that itself starts with a line break keeps it.
  out += '\n';
  out += HtmlEscape(page.comment);
  out += "</textarea>\n";

  fmt::format_to(std::back_inserter(out), "<button type=\"submit\">{}</button>\n</form>\n",
                 HtmlEscape(texts.submit));
  AppendTail(out);
  return out;
}

std::string RenderThankYou(PageLanguage language) {
  const Texts& texts = TextsFor(language);
  return RenderMessagePage(texts, texts.thanks_title, texts.thanks_body);
}

std::string RenderProblem(PageLanguage language, FormProblem problem) {
  const Texts& texts = TextsFor(language);
  switch (problem) {
    case FormProblem::kAlreadyAnswered:
      return RenderMessagePage(texts, texts.already_answered_title, texts.already_answered_body);
    case FormProblem::kUnknownLink:
      return RenderMessagePage(texts, texts.unknown_link_title, texts.unknown_link_body);
    case FormProblem::kTooManyRequests:
      return RenderMessagePage(texts, texts.too_many_title, texts.too_many_body);
    case FormProblem::kServerError:
      break;
  }
  return RenderMessagePage(texts, texts.server_error_title, texts.server_error_body);
}

}  // namespace mittari::web
