// Choosing option values within what a backend's descriptor allows: a
// value outside the range or off its quant makes backends answer
// SANE_STATUS_INVAL, and the same mode goes by several names.
#include "docscan/sane_constraint.h"

#include <gtest/gtest.h>

namespace bianmin::drivers::docscan {
namespace {

SANE_Option_Descriptor number(SANE_Value_Type t) {
  SANE_Option_Descriptor d{};
  d.name = "x";
  d.type = t;
  d.size = sizeof(SANE_Word);
  return d;
}

TEST(SaneConstraint, FixedRangeClampsAndMeetsTheQuant) {
  // A flatbed's br-y: 0 … 215.9 mm in steps of 0.5 mm.
  const SANE_Range r{SANE_FIX(0), SANE_FIX(215.9), SANE_FIX(0.5)};
  auto d = number(SANE_TYPE_FIXED);
  d.constraint_type = SANE_CONSTRAINT_RANGE;
  d.constraint.range = &r;
  EXPECT_DOUBLE_EQ(word_value(d, fit_number(d, 297)), SANE_UNFIX(SANE_FIX(215.5)));  // clipped, on a step
  EXPECT_DOUBLE_EQ(word_value(d, fit_number(d, 100.3)), 100.5);
  EXPECT_EQ(fit_number(d, -4), 0);
}

TEST(SaneConstraint, IntRangeAndWordListTakeTheNearest) {
  const SANE_Range r{50, 1200, 25};
  auto d = number(SANE_TYPE_INT);
  d.constraint_type = SANE_CONSTRAINT_RANGE;
  d.constraint.range = &r;
  EXPECT_EQ(fit_number(d, 310), 300);
  EXPECT_EQ(fit_number(d, 4800), 1200);
  const SANE_Word list[] = {4, 75, 150, 300, 600};  // first word: how many follow
  auto w = number(SANE_TYPE_INT);
  w.constraint_type = SANE_CONSTRAINT_WORD_LIST;
  w.constraint.word_list = list;
  EXPECT_EQ(fit_number(w, 200), 150);
  EXPECT_EQ(fit_number(w, 400), 300);
  EXPECT_EQ(fit_number(w, 9999), 600);
  auto free = number(SANE_TYPE_FIXED);
  EXPECT_EQ(fit_number(free, 2.5), SANE_FIX(2.5));
}

TEST(SaneConstraint, StringsAreChosenFromWhatIsOffered) {
  const SANE_String_Const modes[] = {"Lineart", "Gray", "Color (24 bit)", nullptr};
  SANE_Option_Descriptor d{};
  d.name = "mode";
  d.type = SANE_TYPE_STRING;
  d.size = 32;
  d.constraint_type = SANE_CONSTRAINT_STRING_LIST;
  d.constraint.string_list = modes;
  EXPECT_EQ(pick_string(d, {"Grey", "gray"}), "Gray");        // without case
  EXPECT_EQ(pick_string(d, {"Colour", "Color"}), "Color (24 bit)");  // as a prefix
  EXPECT_EQ(pick_string(d, {"Halftone"}), std::nullopt);
  const SANE_String_Const sources[] = {"Flatbed", "ADF Front", "ADF Duplex", nullptr};
  d.constraint.string_list = sources;
  EXPECT_EQ(pick_string(d, {"Automatic Document Feeder", "ADF"}), "ADF Front");
}

}  // namespace
}  // namespace bianmin::drivers::docscan
