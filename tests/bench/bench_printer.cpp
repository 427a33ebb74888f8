// How long a receipt takes to lay out, encode and render, and to parse
// status bytes: the kiosk prints right after submission, so this is part of
// what a resident waits for (the printer's own speed aside).
#include <benchmark/benchmark.h>

#include "printer/document.h"
#include "printer/glyphs.h"
#include "printer/render/paper.h"
#include "printer/slips.h"
#include "printer/status.h"

using namespace bianmin::drivers::printer;

namespace {

ReceiptData sample() {
  ReceiptData r;
  r.hall_name = "张掖市甘州区政务服务中心";
  r.item_name = "最低生活保障申请（最低生活保障金给付）";
  r.applicant_masked = "𬌗**";
  r.id_masked = "620702********1232";
  r.receipt_no = "K03-20261122-0042";
  r.submitted_at = "2026-11-22T09:31:05+08:00";
  r.promised_days = 20;
  r.materials = {{"最低生活保障申请书", 2}, {"申请人及共同生活家庭成员居民身份证", 3}, {"居民户口簿", 4}};
  r.query_url = "https://zwfw.example.gov.cn/q/K03-20261122-0042?t=q7Ff2xK9vLm3NpR8sT1wYA";
  r.consult_phone = "0936-8212536";
  r.supervise_phone = "12345";
  return r;
}

GlyphRenderer& glyphs() {
  static auto g = GlyphRenderer::open();
  return **g;
}

void BM_ComposeAndEncodeReceipt(benchmark::State& state) {
  Profile p;
  p.width_dots = static_cast<int>(state.range(0));
  p.native_qr = state.range(1) != 0;
  const ReceiptData r = sample();
  for (auto _ : state) {
    auto bytes = encode_document(compose_receipt(r), p, &glyphs());
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_ComposeAndEncodeReceipt)->Args({384, 1})->Args({576, 1})->Args({384, 0})->Unit(benchmark::kMicrosecond);

void BM_RenderReceipt(benchmark::State& state) {
  Profile p;
  p.width_dots = static_cast<int>(state.range(0));
  const std::string bytes = *encode_document(compose_receipt(sample()), p, &glyphs());
  RenderOptions o;
  o.width_dots = p.width_dots;
  for (auto _ : state) {
    Paper paper = render_escpos(bytes, o, &glyphs());
    benchmark::DoNotOptimize(paper);
  }
}
BENCHMARK(BM_RenderReceipt)->Arg(384)->Arg(576)->Unit(benchmark::kMillisecond);

void BM_InterpretStatus(benchmark::State& state) {
  for (auto _ : state) {
    auto st = interpret_status({0x1A, 0x32, 0x12, 0x72});
    benchmark::DoNotOptimize(st);
  }
}
BENCHMARK(BM_InterpretStatus);

}  // namespace

BENCHMARK_MAIN();
