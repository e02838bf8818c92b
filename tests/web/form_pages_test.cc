#include "web/form_pages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace mittari::web {
namespace {

constexpr PageLanguage kLanguages[] = {PageLanguage::kFi, PageLanguage::kSv, PageLanguage::kEn};
constexpr FormProblem kProblems[] = {FormProblem::kAlreadyAnswered, FormProblem::kUnknownLink,
                                     FormProblem::kTooManyRequests, FormProblem::kServerError};

// Contains every character HtmlEscape must replace, plus a closing tag that would end a
// textarea or break out of an attribute if it slipped through.
constexpr std::string_view kHostile = R"(<b>&"x'</textarea><script>)";
constexpr std::string_view kHostileEscaped =
    "&lt;b&gt;&amp;&quot;x&#39;&lt;/textarea&gt;&lt;script&gt;";

size_t CountOf(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Returns the tag (e.g. `<input ... id="score-3" ...>`) that contains `marker`, or "".
std::string_view TagContaining(std::string_view html, std::string_view marker) {
  const size_t at = html.find(marker);
  if (at == std::string_view::npos) return {};
  const size_t open = html.rfind('<', at);
  const size_t close = html.find('>', at);
  return html.substr(open, close - open + 1);
}

// Returns an empty string when every non-void element is closed in order, otherwise what
// went wrong. Enough to catch a forgotten </div> or an escaped value that opened a tag.
std::string CheckTagBalance(std::string_view html) {
  static constexpr std::string_view kVoid[] = {"meta", "input", "br", "link", "!doctype"};
  std::vector<std::string> open;
  size_t at = 0;
  while ((at = html.find('<', at)) != std::string_view::npos) {
    const size_t end = html.find('>', at);
    if (end == std::string_view::npos) return "unterminated tag";
    std::string_view tag = html.substr(at + 1, end - at - 1);
    at = end + 1;
    const bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    const std::string name = Lowercase(tag.substr(0, tag.find_first_of(" \n")));
    if (std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid)) continue;
    if (!closing) {
      open.push_back(name);
      continue;
    }
    if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
    open.pop_back();
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// Returns true for ` onclick=` and the like: inline script needs no <script> tag.
bool HasEventHandlerAttribute(std::string_view lower_html) {
  for (size_t at = lower_html.find(" on"); at != std::string_view::npos;
       at = lower_html.find(" on", at + 1)) {
    size_t end = at + 3;
    while (end < lower_html.size() && std::islower(static_cast<unsigned char>(lower_html[end]))) {
      ++end;
    }
    if (end > at + 3 && end < lower_html.size() && lower_html[end] == '=') return true;
  }
  return false;
}

FormPage BasicPage(PageLanguage language = PageLanguage::kFi) {
  FormPage page;
  page.language = language;
  page.unit_name = "Sisätautien poliklinikka";
  page.action = "/f/abc123";
  page.csrf_token = "tok-123";
  return page;
}

// --- HtmlEscape ------------------------------------------------------------------------------

TEST(HtmlEscape, ReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape(kHostile), kHostileEscaped);
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
}

TEST(HtmlEscape, KeepsEverythingElse) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("Hyvä hoito, kiitos! 10/10 😊\n"), "Hyvä hoito, kiitos! 10/10 😊\n");
}

// --- ParsePageLanguage -----------------------------------------------------------------------

TEST(ParsePageLanguage, AcceptsTheThreeCodes) {
  EXPECT_EQ(ParsePageLanguage("fi"), PageLanguage::kFi);
  EXPECT_EQ(ParsePageLanguage("sv"), PageLanguage::kSv);
  EXPECT_EQ(ParsePageLanguage("en"), PageLanguage::kEn);
  for (PageLanguage language : kLanguages) {
    EXPECT_EQ(ParsePageLanguage(PageLanguageCode(language)), language);
  }
}

TEST(ParsePageLanguage, RejectsAnythingElse) {
  const std::string_view codes[] = {"", "FI", "Sv", "de", "se", "fi ", " en", "fi-FI", "en-GB",
                                    "f", "fin", std::string_view("fi\0", 3)};
  for (std::string_view code : codes) {
    EXPECT_EQ(ParsePageLanguage(code), std::nullopt) << code;
  }
}

// --- Escaping of every user-provided field ---------------------------------------------------

TEST(RenderForm, EscapesEveryUserField) {
  struct Case {
    const char* field;
    void (*set)(FormPage&, std::string_view);
  };
  const Case cases[] = {
      {"unit_name", [](FormPage& p, std::string_view v) { p.unit_name = v; }},
      {"action", [](FormPage& p, std::string_view v) { p.action = v; }},
      {"csrf_token", [](FormPage& p, std::string_view v) { p.csrf_token = v; }},
      {"error", [](FormPage& p, std::string_view v) { p.error = v; }},
      {"comment", [](FormPage& p, std::string_view v) { p.comment = v; }},
  };
  for (const Case& c : cases) {
    FormPage page = BasicPage();
    c.set(page, kHostile);
    const std::string html = RenderForm(page);
    EXPECT_EQ(html.find(kHostile), std::string::npos) << c.field;
    EXPECT_NE(html.find(kHostileEscaped), std::string::npos) << c.field;
    EXPECT_EQ(Lowercase(html).find("<script"), std::string::npos) << c.field;
    EXPECT_EQ(CheckTagBalance(html), "") << c.field;
  }
}

TEST(RenderForm, EscapesEachCharacterSeparatelyInEveryField) {
  for (std::string_view bad : {"<", ">", "&", "\"", "'"}) {
    FormPage page = BasicPage();
    const std::string value = fmt::format("A{}B", bad);
    page.unit_name = value;
    page.action = "/f/" + value;
    page.csrf_token = value;
    page.error = value;
    page.comment = value;
    const std::string html = RenderForm(page);
    EXPECT_EQ(html.find(value), std::string::npos) << bad;
    // unit name in <title> and the visit line, action in the form and two language links,
    // token, error, comment: at least seven escaped copies.
    EXPECT_GE(CountOf(html, "A" + HtmlEscape(bad) + "B"), 7u) << bad;
  }
}

// --- The score scale ----------------------------------------------------------------------------

TEST(RenderForm, ElevenRadiosWithValuesAndLabels) {
  const std::string html = RenderForm(BasicPage());
  EXPECT_EQ(CountOf(html, "type=\"radio\""), 11u);
  EXPECT_EQ(CountOf(html, "name=\"score\""), 11u);
  for (int score = 0; score <= 10; ++score) {
    const std::string_view input = TagContaining(html, fmt::format("id=\"score-{}\"", score));
    ASSERT_FALSE(input.empty()) << score;
    EXPECT_NE(input.find(fmt::format("value=\"{}\"", score)), std::string_view::npos) << input;
    EXPECT_NE(input.find("type=\"radio\""), std::string_view::npos) << input;
    EXPECT_NE(html.find(fmt::format("<label for=\"score-{0}\">{0}</label>", score)),
              std::string::npos)
        << score;
  }
  EXPECT_EQ(CountOf(html, "type=\"radio\" name=\"score\" id=\"score-11\""), 0u);
}

TEST(RenderForm, RadiosAreInsideAFieldsetWithTheQuestionAsLegend) {
  const std::string_view questions[] = {
      "Kuinka todennäköisesti suosittelisit meitä ystävillesi tai läheisillesi?",
      "Hur sannolikt är det att du skulle rekommendera oss till dina vänner eller anhöriga?",
      "How likely are you to recommend us to your friends or family?"};
  for (size_t i = 0; i < 3; ++i) {
    const std::string html = RenderForm(BasicPage(kLanguages[i]));
    const size_t fieldset = html.find("<fieldset");
    const size_t legend = html.find(fmt::format("<legend>{}</legend>", questions[i]));
    const size_t first_radio = html.find("type=\"radio\"");
    const size_t last_radio = html.rfind("type=\"radio\"");
    const size_t fieldset_end = html.find("</fieldset>");
    ASSERT_NE(fieldset, std::string::npos);
    ASSERT_NE(legend, std::string::npos) << questions[i];
    EXPECT_LT(fieldset, legend);
    EXPECT_LT(legend, first_radio);
    EXPECT_LT(last_radio, fieldset_end);
    EXPECT_EQ(CountOf(html, "<fieldset"), 1u);
  }
}

TEST(RenderForm, EndpointsAreExplainedAndLinkedToTheirRadios) {
  struct Ends {
    PageLanguage language;
    std::string_view min;
    std::string_view max;
  };
  const Ends ends[] = {
      {PageLanguage::kFi, "Erittäin epätodennäköisesti", "Erittäin todennäköisesti"},
      {PageLanguage::kSv, "Mycket osannolikt", "Mycket sannolikt"},
      {PageLanguage::kEn, "Very unlikely", "Very likely"},
  };
  for (const Ends& e : ends) {
    const std::string html = RenderForm(BasicPage(e.language));
    EXPECT_NE(html.find(fmt::format("<p id=\"score-min\">0 = {}</p>", e.min)), std::string::npos);
    EXPECT_NE(html.find(fmt::format("<p id=\"score-max\">10 = {}</p>", e.max)),
              std::string::npos);
    EXPECT_NE(TagContaining(html, "id=\"score-0\"").find("aria-describedby=\"score-min\""),
              std::string_view::npos);
    EXPECT_NE(TagContaining(html, "id=\"score-10\"").find("aria-describedby=\"score-max\""),
              std::string_view::npos);
    EXPECT_EQ(TagContaining(html, "id=\"score-5\"").find("aria-describedby"),
              std::string_view::npos);
  }
}

TEST(RenderForm, ChosenScoreIsCheckedAgain) {
  for (int chosen = 0; chosen <= 10; ++chosen) {
    FormPage page = BasicPage();
    page.chosen_score = chosen;
    const std::string html = RenderForm(page);
    EXPECT_EQ(CountOf(html, " checked"), 1u) << chosen;
    EXPECT_NE(TagContaining(html, fmt::format("id=\"score-{}\"", chosen)).find(" checked"),
              std::string_view::npos)
        << chosen;
  }
}

TEST(RenderForm, NoScoreOrOutOfRangeScoreChecksNothing) {
  FormPage page = BasicPage();
  EXPECT_EQ(CountOf(RenderForm(page), " checked"), 0u);
  for (int bad : {-1, 11, 100}) {
    page.chosen_score = bad;
    EXPECT_EQ(CountOf(RenderForm(page), " checked"), 0u) << bad;
  }
}

// --- Comment ---------------------------------------------------------------------------------

TEST(RenderForm, CommentBoxHasLimitAndPromptAndPersonalDataNote) {
  const std::string html = RenderForm(BasicPage(PageLanguage::kEn));
  const std::string_view textarea = TagContaining(html, "<textarea");
  EXPECT_NE(textarea.find("name=\"comment\""), std::string_view::npos);
  EXPECT_NE(textarea.find("maxlength=\"2000\""), std::string_view::npos);
  EXPECT_NE(textarea.find("aria-describedby=\"comment-hint\""), std::string_view::npos);
  EXPECT_NE(html.find("<label class=\"comment\" for=\"comment\">Would you like to tell us more? "
                      "(optional)</label>"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"comment-hint\">Please do not write personal data"), std::string::npos);
  EXPECT_NE(html.find("phone number"), std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kFi)).find("Haluatko kertoa lisää? (vapaaehtoinen)"),
            std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kSv)).find("Vill du berätta mer? (frivilligt)"),
            std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kFi)).find("henkilötunnusta"), std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kSv)).find("personbeteckning"), std::string::npos);
}

TEST(RenderForm, CommentIsFilledBackEscaped) {
  FormPage page = BasicPage();
  page.comment = "Odotin 2 h <ei hyvä> & \"huono\"\nmutta hoito 'ok'";
  const std::string html = RenderForm(page);
  EXPECT_NE(html.find(">\n" + HtmlEscape(page.comment) + "</textarea>"), std::string::npos)
      << html;
}

TEST(RenderForm, CommentStartingWithANewlineKeepsIt) {
  // The parser eats one newline after <textarea>, so the output must have two here.
  FormPage page = BasicPage();
  page.comment = "\nalkaa rivinvaihdolla";
  EXPECT_NE(RenderForm(page).find(">\n\nalkaa rivinvaihdolla</textarea>"), std::string::npos);
}

TEST(RenderForm, EmptyCommentGivesEmptyTextarea) {
  EXPECT_NE(RenderForm(BasicPage()).find(">\n</textarea>"), std::string::npos);
}

// --- Errors ----------------------------------------------------------------------------------

TEST(RenderForm, ErrorIsAnAlertLinkedToTheScale) {
  FormPage page = BasicPage(PageLanguage::kEn);
  page.error = std::string(FormText(PageLanguage::kEn, FormMessage::kChooseScore));
  const std::string html = RenderForm(page);
  EXPECT_NE(html.find("<div class=\"error\" id=\"form-error\" role=\"alert\">Please choose a "
                      "number from 0 to 10.</div>"),
            std::string::npos);
  const std::string_view fieldset = TagContaining(html, "<fieldset");
  EXPECT_NE(fieldset.find("aria-describedby=\"form-error\""), std::string_view::npos);
  EXPECT_NE(fieldset.find("aria-invalid=\"true\""), std::string_view::npos);
  // The error comes before the form, where a sighted user starts reading.
  EXPECT_LT(html.find("role=\"alert\""), html.find("<form"));
  EXPECT_NE(html.find("<title>Error: "), std::string::npos);
}

TEST(RenderForm, CommentErrorMarksTheCommentNotTheScale) {
  FormPage page = BasicPage(PageLanguage::kEn);
  page.error = std::string(FormText(PageLanguage::kEn, FormMessage::kCommentTooLong));
  page.chosen_score = 7;
  page.comment = std::string(2001, 'x');
  const std::string html = RenderForm(page);
  const std::string_view fieldset = TagContaining(html, "<fieldset");
  EXPECT_EQ(fieldset.find("aria-invalid"), std::string_view::npos);
  const std::string_view textarea = TagContaining(html, "<textarea");
  EXPECT_NE(textarea.find("aria-invalid=\"true\""), std::string_view::npos);
  EXPECT_NE(textarea.find("aria-describedby=\"comment-hint form-error\""),
            std::string_view::npos);
}

TEST(RenderForm, CommentLimitCountsCharactersNotBytes) {
  FormPage page = BasicPage();
  page.error = "x";
  page.chosen_score = 3;
  std::string comment;
  for (int i = 0; i < 2000; ++i) comment += "ä";  // 4000 bytes, 2000 characters
  page.comment = comment;
  EXPECT_EQ(TagContaining(RenderForm(page), "<textarea").find("aria-invalid"),
            std::string_view::npos);
}

TEST(RenderForm, NoErrorNoAlert) {
  const std::string page = RenderForm(BasicPage());
  const std::string html = page.substr(page.find("</style>"));  // the CSS names aria-invalid
  EXPECT_EQ(html.find("role=\"alert\""), std::string::npos);
  EXPECT_EQ(html.find("aria-invalid"), std::string::npos);
  EXPECT_EQ(html.find("form-error"), std::string::npos);
}

// --- Form, hidden fields, language -------------------------------------------------------------

TEST(RenderForm, PostsUrlEncodedToTheAction) {
  const std::string html = RenderForm(BasicPage());
  const std::string_view form = TagContaining(html, "<form");
  EXPECT_NE(form.find("method=\"post\""), std::string_view::npos);
  EXPECT_NE(form.find("action=\"/f/abc123\""), std::string_view::npos);
  EXPECT_NE(form.find("enctype=\"application/x-www-form-urlencoded\""), std::string_view::npos);
  EXPECT_NE(html.find("<button type=\"submit\">Lähetä</button>"), std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kSv)).find(">Skicka</button>"), std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kEn)).find(">Send</button>"), std::string::npos);
}

TEST(RenderForm, CsrfFieldOnlyWithAToken) {
  FormPage page = BasicPage();
  EXPECT_NE(RenderForm(page).find("<input type=\"hidden\" name=\"csrf\" value=\"tok-123\">"),
            std::string::npos);
  page.csrf_token.clear();
  const std::string html = RenderForm(page);
  EXPECT_EQ(html.find("name=\"csrf\""), std::string::npos);
  EXPECT_EQ(html.find("csrf"), std::string::npos);
}

TEST(RenderForm, LangHiddenFieldAndHtmlLangFollowTheLanguage) {
  for (PageLanguage language : kLanguages) {
    const std::string code(PageLanguageCode(language));
    const std::string html = RenderForm(BasicPage(language));
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"" + code + "\">", 0), 0u) << code;
    EXPECT_NE(html.find("<input type=\"hidden\" name=\"lang\" value=\"" + code + "\">"),
              std::string::npos)
        << code;
  }
}

TEST(RenderForm, LinksToTheOtherTwoLanguages) {
  for (PageLanguage language : kLanguages) {
    const std::string html = RenderForm(BasicPage(language));
    int links = 0;
    for (PageLanguage other : kLanguages) {
      const std::string code(PageLanguageCode(other));
      const std::string link = fmt::format(
          "<a href=\"/f/abc123?lang={0}\" lang=\"{0}\" hreflang=\"{0}\">", code);
      if (other == language) {
        EXPECT_EQ(html.find(link), std::string::npos) << code;
      } else {
        EXPECT_NE(html.find(link), std::string::npos) << code;
        ++links;
      }
    }
    EXPECT_EQ(links, 2);
    EXPECT_EQ(CountOf(html, "hreflang="), 2u);
  }
  const std::string fi = RenderForm(BasicPage(PageLanguage::kFi));
  EXPECT_NE(fi.find("hreflang=\"sv\">På svenska</a>"), std::string::npos);
  EXPECT_NE(fi.find("hreflang=\"en\">In English</a>"), std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kEn)).find("hreflang=\"fi\">Suomeksi</a>"),
            std::string::npos);
}

TEST(RenderForm, LanguageLinkJoinsAnExistingQuery) {
  FormPage page = BasicPage(PageLanguage::kEn);
  page.action = "/f/u/A01-C02-U03?src=qr";
  const std::string html = RenderForm(page);
  EXPECT_NE(html.find("href=\"/f/u/A01-C02-U03?src=qr&amp;lang=fi\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/f/u/A01-C02-U03?src=qr\""), std::string::npos);
}

TEST(RenderForm, UnitNameAndTitle) {
  FormPage page = BasicPage(PageLanguage::kEn);
  page.unit_name = "Emergency department";
  std::string html = RenderForm(page);
  EXPECT_NE(html.find("Your visit to Emergency department"), std::string::npos);
  EXPECT_NE(html.find("<title>Patient feedback – Emergency department</title>"),
            std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kFi)).find("<title>Potilaspalaute – "),
            std::string::npos);
  EXPECT_NE(RenderForm(BasicPage(PageLanguage::kSv)).find("<title>Patientrespons – "),
            std::string::npos);
  page.unit_name.clear();
  html = RenderForm(page);
  EXPECT_EQ(html.find("Your visit to"), std::string::npos);
  EXPECT_NE(html.find("<title>Patient feedback</title>"), std::string::npos);
}

TEST(RenderForm, MobileFirstSelfContainedPage) {
  const std::string html = RenderForm(BasicPage());
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_EQ(CountOf(html, "<style>"), 1u);
  // Touch targets of 3rem = 48px at default size; the brief's floor is 44px.
  EXPECT_NE(html.find("min-width:3rem;min-height:3rem"), std::string::npos);
  EXPECT_NE(html.find("font-size:1.125rem"), std::string::npos);
  EXPECT_NE(html.find("color:#1a1a1a"), std::string::npos);
  EXPECT_NE(html.find("input:checked+label{border:4px"), std::string::npos);
  EXPECT_NE(html.find("font-weight:700"), std::string::npos);
  EXPECT_NE(html.find("input:focus+label{outline:3px"), std::string::npos);
  // Nothing loaded from anywhere else.
  const std::string lower = Lowercase(html);
  for (std::string_view external : {"<link", "src=", "url(", "@import", "http:", "https:"}) {
    EXPECT_EQ(lower.find(external), std::string::npos) << external;
  }
}

// --- Every page --------------------------------------------------------------------------------

std::vector<std::string> AllPages() {
  std::vector<std::string> pages;
  for (PageLanguage language : kLanguages) {
    FormPage page = BasicPage(language);
    page.error = std::string(FormText(language, FormMessage::kChooseScore));
    page.comment = "kommentti";
    page.chosen_score = 4;
    pages.push_back(RenderForm(BasicPage(language)));
    pages.push_back(RenderForm(page));
    pages.push_back(RenderThankYou(language));
    for (FormProblem problem : kProblems) pages.push_back(RenderProblem(language, problem));
  }
  return pages;
}

TEST(AllPages, NoScriptAnywhereAndTagsBalance) {
  for (const std::string& html : AllPages()) {
    const std::string lower = Lowercase(html);
    EXPECT_EQ(lower.find("<script"), std::string::npos);
    EXPECT_EQ(lower.find("javascript:"), std::string::npos);
    EXPECT_FALSE(HasEventHandlerAttribute(lower));
    EXPECT_EQ(CheckTagBalance(html), "") << html;
    EXPECT_NE(html.find("name=\"viewport\""), std::string::npos);
    EXPECT_NE(html.find("<title>"), std::string::npos);
  }
}

TEST(RenderThankYou, Localised) {
  EXPECT_NE(RenderThankYou(PageLanguage::kFi).find("<h1>Kiitos palautteestasi!</h1>"),
            std::string::npos);
  EXPECT_NE(RenderThankYou(PageLanguage::kSv).find("<h1>Tack för din respons!</h1>"),
            std::string::npos);
  EXPECT_NE(RenderThankYou(PageLanguage::kEn).find("<h1>Thank you for your feedback!</h1>"),
            std::string::npos);
  EXPECT_NE(RenderThankYou(PageLanguage::kSv).find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(RenderThankYou(PageLanguage::kEn).find("<title>Thank you for your feedback!</title>"),
            std::string::npos);
}

TEST(RenderProblem, EachProblemHasItsOwnLocalisedPage) {
  for (PageLanguage language : kLanguages) {
    std::vector<std::string> pages;
    for (FormProblem problem : kProblems) {
      const std::string html = RenderProblem(language, problem);
      EXPECT_NE(html.find(fmt::format("<html lang=\"{}\">", PageLanguageCode(language))),
                std::string::npos);
      EXPECT_NE(html.find("<h1>"), std::string::npos);
      EXPECT_EQ(html.find("<form"), std::string::npos);
      pages.push_back(html);
    }
    std::sort(pages.begin(), pages.end());
    EXPECT_EQ(std::unique(pages.begin(), pages.end()), pages.end());
  }
  EXPECT_NE(RenderProblem(PageLanguage::kEn, FormProblem::kAlreadyAnswered).find("already"),
            std::string::npos);
  EXPECT_NE(RenderProblem(PageLanguage::kFi, FormProblem::kUnknownLink).find("Linkki"),
            std::string::npos);
  EXPECT_NE(RenderProblem(PageLanguage::kSv, FormProblem::kTooManyRequests).find("försök"),
            std::string::npos);
  EXPECT_NE(RenderProblem(PageLanguage::kEn, FormProblem::kServerError).find("try again later"),
            std::string::npos);
}

// --- FormText ----------------------------------------------------------------------------------

TEST(FormText, EnglishWordingAndEveryLanguageDiffers) {
  EXPECT_EQ(FormText(PageLanguage::kEn, FormMessage::kChooseScore),
            "Please choose a number from 0 to 10.");
  EXPECT_EQ(FormText(PageLanguage::kEn, FormMessage::kCommentTooLong),
            "Your comment is too long (at most 2000 characters).");
  for (FormMessage message : {FormMessage::kChooseScore, FormMessage::kCommentTooLong}) {
    const std::string_view fi = FormText(PageLanguage::kFi, message);
    const std::string_view sv = FormText(PageLanguage::kSv, message);
    const std::string_view en = FormText(PageLanguage::kEn, message);
    EXPECT_FALSE(fi.empty());
    EXPECT_NE(fi, sv);
    EXPECT_NE(sv, en);
    EXPECT_NE(fi, en);
  }
  EXPECT_NE(FormText(PageLanguage::kFi, FormMessage::kCommentTooLong).find("2000"),
            std::string_view::npos);
  EXPECT_NE(FormText(PageLanguage::kSv, FormMessage::kCommentTooLong).find("2000"),
            std::string_view::npos);
}

}  // namespace
}  // namespace mittari::web
