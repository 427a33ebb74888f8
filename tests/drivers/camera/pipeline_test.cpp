// The page pipeline on synthetic photographs of pages (rotated up to 30°,
// perspective, shadow, uneven light, low contrast, noise): the result must
// be the page, upright, cropped, legible, within the size budget. The
// committed before/after samples in samples/ show the same by eye.
#include <gtest/gtest.h>

#include <cmath>

#include "camera/code_reader.h"
#include "camera/jpeg_codec.h"
#include "camera/page_pipeline.h"
#include "camera/sim_scene.h"

namespace bianmin::drivers::camera {
namespace {

// Normalised cross-correlation of two grey images of the same size.
double ncc(const Image& a, const Image& b) {
  double ma = 0, mb = 0;
  const std::size_t n = a.px.size();
  for (std::size_t i = 0; i < n; ++i) ma += a.px[i], mb += b.px[i];
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = a.px[i] - ma, y = b.px[i] - mb;
    sab += x * y, saa += x * x, sbb += y * y;
  }
  return sab / std::sqrt(saa * sbb + 1e-9);
}

struct Case {
  const char* spec;
  const char* paper;
};

class Pipeline : public ::testing::TestWithParam<Case> {};

TEST_P(Pipeline, PhotographedPageBecomesTheUprightCroppedLegiblePage) {
  auto o = parse_scene_spec(GetParam().spec);
  ASSERT_TRUE(o);
  auto sc = synthesize_scene(*o);
  ASSERT_TRUE(sc) << sc.error().message;
  // Through the camera's MJPEG, as a still arrives.
  auto still = encode_jpeg(sc->frame, 92);
  ASSERT_TRUE(still);
  auto frame = decode_jpeg(*still, 3);
  ASSERT_TRUE(frame);
  auto page = process_page(*frame);
  ASSERT_TRUE(page) << page.error().message;

  EXPECT_TRUE(page->outline_found);
  // Corners where the page really is (within 1.2 % of its diagonal).
  const double diag = dist(sc->corners[0], sc->corners[2]);
  for (int i = 0; i < 4; ++i)
    EXPECT_LT(dist(page->outline[static_cast<std::size_t>(i)], sc->corners[static_cast<std::size_t>(i)]), 0.012 * diag)
        << "corner " << i;
  EXPECT_EQ(page->paper, GetParam().paper);
  // Resolution estimate within 5 % of the truth.
  const double true_dpi = sc->px_per_mm * 25.4;
  EXPECT_NEAR(page->dpi, std::min(200.0, true_dpi), 0.05 * true_dpi);
  // Size budget.
  EXPECT_LE(page->bytes.size(), page->budget_bytes);
  EXPECT_LE(page->bytes.size(), 300'000u);
  EXPECT_FALSE(page->thumbnail.empty());

  // Upright and the same content: the page matches the clean original far
  // better than the original turned upside down.
  const int w = 240, h = static_cast<int>(std::lround(240.0 * sc->page.height / sc->page.width));
  auto decoded = decode_image(page->bytes);
  ASSERT_TRUE(decoded);
  // Blurred: the comparison is about content and orientation, not about
  // a pixel of registration of thin table lines.
  const Image got = box_blur(to_grey(resize(*decoded, w, h)), 3);
  const Image truth = box_blur(to_grey(resize(sc->page, w, h)), 3);
  const Image flipped = rotate_quarter(truth, 2);
  const double upright = ncc(got, truth), upside_down = ncc(got, flipped);
  EXPECT_GT(upright, 0.6) << "upright " << upright;
  EXPECT_GT(upright, upside_down + 0.25) << "upright " << upright << ", upside down " << upside_down;
}

INSTANTIATE_TEST_SUITE_P(
    Scenes, Pipeline,
    ::testing::Values(Case{"form,seed=3,rot=25,shadow=0.45,persp=0.15", "A4"},
                      Case{"text,seed=5,rot=-30,contrast=0.45,shadow=0.3", "A4"},
                      Case{"text,seed=21,rot=30,persp=0.2,light=0.6,noise=6", "A4"},
                      Case{"form,seed=8,rot=-12,contrast=0.5,shadow=0.5", "A4"},
                      Case{"idcard,seed=7,rot=12,persp=0.1", "ID-1"},
                      Case{"idcard,seed=17,rot=-28,shadow=0.4", "ID-1"},
                      Case{"certificate,seed=11,rot=-8,persp=0.2,shadow=0.35", "A5"}));

TEST(PipelineExtras, QrOnThePageStillReadsAfterCleanUp) {
  const std::string url = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=Zm9vYmFyYmF6cXV4cXV1eA";
  auto sc = synthesize_scene(*parse_scene_spec("form,seed=13,rot=18,qr=" + url));
  ASSERT_TRUE(sc);
  auto page = process_page(sc->frame);
  ASSERT_TRUE(page);
  auto reader = CodeReader::create({});
  ASSERT_TRUE(reader);
  auto codes = reader->read(page->image);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].text, url);
}

TEST(PipelineExtras, ColourKeptForCardsAndPhotosGreyForForms) {
  auto form = process_page(synthesize_scene(*parse_scene_spec("text,seed=2,rot=5"))->frame);
  auto card = process_page(synthesize_scene(*parse_scene_spec("idcard,seed=2,rot=5"))->frame);
  auto cert = process_page(synthesize_scene(*parse_scene_spec("certificate,seed=2,rot=5"))->frame);
  ASSERT_TRUE(form && card && cert);
  EXPECT_FALSE(form->colour);
  EXPECT_EQ(jpeg_info(form->bytes)->grey, true);
  EXPECT_TRUE(card->colour);
  EXPECT_TRUE(cert->colour);
}

TEST(PipelineExtras, BitonalIsLosslessPngAndBudgetIsHonoured) {
  auto sc = synthesize_scene(*parse_scene_spec("text,seed=4,rot=-15"));
  ASSERT_TRUE(sc);
  PageOptions bo;
  bo.mode = Enhance::bitonal;
  auto bw = process_page(sc->frame, bo);
  ASSERT_TRUE(bw);
  EXPECT_EQ(bw->mime, "image/png");
  EXPECT_EQ(bw->bytes.substr(1, 3), "PNG");
  EXPECT_EQ(bw->bytes[24], 1);  // IHDR bit depth: 1
  PageOptions tight;
  tight.budget_bytes = 60'000;
  auto small = process_page(sc->frame, tight);
  ASSERT_TRUE(small);
  EXPECT_LE(small->bytes.size(), 60'000u);
  EXPECT_LT(small->quality, 85);
}

TEST(PipelineExtras, NoPageEdgeKeepsTheWholeFrame) {
  Image blank = Image::make(800, 600, 3, 200);
  auto page = process_page(blank);
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->outline_found);
  EXPECT_GT(page->width, 0);
}

}  // namespace
}  // namespace bianmin::drivers::camera
