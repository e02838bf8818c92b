// File: common/utf8.h
//
// UTF-8 checks for text that comes from outside (CSV imports, HTTP bodies). Everything
// Mittari stores is UTF-8, and a limit such as "a comment is at most 2,000 characters" is
// a limit on Unicode code points, not on bytes: "ä" is one character but two bytes.
//
// Validation is strict (the Unicode "well-formed" definition, Table 3-7): overlong forms,
// UTF-16 surrogates (U+D800..U+DFFF), values above U+10FFFF and truncated sequences are all
// rejected, because each of them is either a corrupt file or an attempt to smuggle a byte
// past a later check (an overlong "/" or quote, for instance).
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace mittari {

// Returns true when `text` is well-formed UTF-8 (the empty string is), false otherwise.
// A NUL byte is a valid code point (U+0000) and is accepted.
bool IsValidUtf8(std::string_view text);

// Returns the number of Unicode code points in `text`, which must be valid UTF-8 (check
// with IsValidUtf8 first; for invalid input the result is some number <= text.size()).
// Code points are what users see as characters in nearly all patient comments; a few
// composed symbols (flag and family emoji, some accents written as base + combining mark)
// count as more than one, which errs on the side of the limit rather than the writer.
size_t CountCodePoints(std::string_view text);

}  // namespace mittari
