// The value to ask a SANE option for, within what its descriptor allows
// (range with quantisation, word list, string list). Pure: it reads a
// SANE_Option_Descriptor and calls nothing, so it is tested with made-up
// descriptors; sane_scanner.cpp applies the result with
// sane_control_option.
//
// Backends refuse (SANE_STATUS_INVAL) or silently round values outside
// their constraint, and name the same things differently ("Color" /
// "Colour" / "24bit Color", "ADF" / "Automatic Document Feeder" /
// "ADF Front"), so the frontend must choose from what is offered.
#pragma once

#include <sane/sane.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bianmin::drivers::docscan {

// For SANE_TYPE_INT and SANE_TYPE_FIXED options (wanted in the option's
// unit: dpi, mm): the nearest allowed word, as the backend's encoding
// (SANE_Fixed for FIXED). A range clamps and rounds to its quant; a word
// list takes the nearest entry; no constraint takes the value as it is.
SANE_Word fit_number(const SANE_Option_Descriptor& d, double wanted);

// The option's word as a number in its unit (SANE_UNFIX for FIXED).
double word_value(const SANE_Option_Descriptor& d, SANE_Word w);

// For SANE_TYPE_STRING options with a string list: the first offered
// value that matches one of the candidates (compared without case, then
// as a prefix of an offered value: "Color" finds "Color (24 bit)").
// nullopt when none is offered. Without a list constraint, the first
// candidate.
std::optional<std::string> pick_string(const SANE_Option_Descriptor& d, const std::vector<std::string_view>& candidates);

}  // namespace bianmin::drivers::docscan
