#include "printer/slips.h"

#include <cstdio>

#include "domain/time_limit.h"
#include "printer/glyphs.h"

namespace bianmin::drivers::printer {
namespace {

// Columns a string takes in font A: ASCII one, everything else two.
int utf8_cells(const std::string& s) {
  int cells = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) cells += c < 0x80 ? 1 : 2;
  return cells;
}

TextBlock line(std::string s, Align a = Align::left, bool bold = false, int w = 1, int h = 1) {
  return text_block(std::move(s), a, bold, w, h);
}

// "label：value", continuation lines indented under the value.
TextBlock field(const std::string& label, const std::string& value) {
  TextBlock t = line(label + "：" + value);
  t.indent_cols = utf8_cells(label) + 2;
  return t;
}

}  // namespace

std::string display_time(const std::string& t) {
  if (t.size() >= 16 && t[10] == 'T') return t.substr(0, 10) + " " + t.substr(11, 5);
  return t;
}

Document compose_receipt(const ReceiptData& r) {
  Document d;
  if (!r.hall_name.empty()) d.blocks.emplace_back(line(r.hall_name, Align::center, true));
  const bool window = !r.accepted_by.empty();
  d.blocks.emplace_back(line(window ? "服务受理单" : "受理回执", Align::center, true, 2, 2));
  if (r.reprint) d.blocks.emplace_back(line("（补打）", Align::center));
  d.rule();
  d.blocks.emplace_back(field("办理事项", r.item_name));
  d.blocks.emplace_back(field("申请人", r.applicant_masked));
  d.blocks.emplace_back(field("证件号码", r.id_masked));
  d.blocks.emplace_back(line(window ? "受理编号：" : "受理回执号："));
  TextBlock no = line(r.receipt_no, Align::center, true, 2, 2);
  no.shrink_to_fit = true;
  d.blocks.emplace_back(no);
  if (window) {
    d.blocks.emplace_back(field("受理方式", "窗口受理"));
    d.blocks.emplace_back(field("受理人", r.accepted_by));
  }
  d.blocks.emplace_back(field(window ? "受理时间" : "提交时间", display_time(r.submitted_at)));
  // 办理时限承诺制: the window promises the time limit in writing.
  if (r.promised_days) {
    const std::string limit = domain::time_limit_zh(*r.promised_days);
    const bool at_once = *r.promised_days == 0;
    d.blocks.emplace_back(line(!window   ? "承诺时限：" + limit
                               : at_once ? "承诺办理时限：" + limit
                                         : "承诺办理时限：自受理之日起" + limit));
  }
  if (r.deadline && !r.deadline->empty()) d.blocks.emplace_back(field("办结期限", r.deadline->substr(0, 10)));
  if (!r.materials.empty()) {
    d.rule();
    d.blocks.emplace_back(line("已收材料：", Align::left, true));
    int i = 0;
    for (const auto& m : r.materials) {
      TextBlock t = line(std::to_string(++i) + ". " + m.name + "  " + std::to_string(m.pages) + "页");
      t.indent_cols = 3;
      d.blocks.emplace_back(t);
    }
  }
  d.rule();
  if (!r.query_url.empty()) d.qr(r.query_url);
  d.blocks.emplace_back(line(kReceiptInstruction, Align::center));
  if (!r.consult_phone.empty()) d.blocks.emplace_back(field("咨询电话", r.consult_phone));
  if (!r.supervise_phone.empty()) d.blocks.emplace_back(field("监督电话", r.supervise_phone));
  d.rule();
  d.blocks.emplace_back(line("请妥善保管本回执", Align::center));
  d.cut();
  return d;
}

Document compose_queue_ticket(const QueueTicket& t) {
  Document d;
  if (!t.hall_name.empty()) d.blocks.emplace_back(line(t.hall_name, Align::center, true));
  d.blocks.emplace_back(line("排队取号", Align::center, true, 2, 2));
  d.rule();
  d.blocks.emplace_back(field("办理业务", t.service));
  d.feed(1);
  TextBlock n = line(t.number, Align::center, true, 2, 2);
  n.shrink_to_fit = true;
  d.blocks.emplace_back(n);
  d.feed(1);
  d.blocks.emplace_back(line("您前面还有 " + std::to_string(t.waiting) + " 人等候", Align::center));
  if (!t.issued_at.empty()) d.blocks.emplace_back(field("取号时间", display_time(t.issued_at)));
  d.rule();
  d.blocks.emplace_back(line("请留意叫号，过号请重新取号", Align::center));
  d.cut();
  return d;
}

namespace {

// A ruler across the printable width: a tick every millimetre (8 dots),
// longer ones every 5 mm and 10 mm, so a technician sees the real width.
Bitmap ruler(int width) {
  Bitmap b(width, 24);
  b.fill_rect(0, 0, width, 2);
  for (int x = 0; x < width; x += 8) {
    const int mm = x / 8;
    const int len = mm % 10 == 0 ? 22 : mm % 5 == 0 ? 14 : 7;
    b.fill_rect(x, 0, 2, len);
  }
  b.fill_rect(width - 2, 0, 2, 24);
  return b;
}

}  // namespace

Document compose_test_page(const TestPageInfo& info) {
  Document d;
  d.blocks.emplace_back(line("打印机自检页 TEST PAGE", Align::center, true, 1, 2));
  d.rule(U'=');
  d.blocks.emplace_back(field("型号", info.model.empty() ? "unknown" : info.model));
  d.blocks.emplace_back(field("连接", info.link));
  d.blocks.emplace_back(field("纸宽", std::to_string(info.width_dots) + " 点 / " +
                                          std::to_string(info.width_dots / 8) + " mm / " +
                                          std::to_string(info.width_dots / 12) + " 列"));
  d.blocks.emplace_back(field("字库", std::string(font_set_key(info.font))));
  d.blocks.emplace_back(field("二维码", info.native_qr ? "打印机内置 (GS ( k)" : "光栅图像 (GS v 0)"));
  if (!info.printed_at.empty()) d.blocks.emplace_back(field("时间", display_time(info.printed_at)));
  d.rule();
  d.blocks.emplace_back(line("字符覆盖 / font coverage:", Align::left, true));
  d.blocks.emplace_back(line("ASCII: 0123456789 ABCxyz !@#%&*()"));
  d.blocks.emplace_back(line("GB2312: 政务服务便民大厅受理回执"));
  d.blocks.emplace_back(line("GBK: 堃 喆 琤 镕"));
  d.blocks.emplace_back(line("GB18030 2-byte: 䶮 〇"));
  d.blocks.emplace_back(line("4-byte / 生僻字: 𬌗 𠀾 ¥"));
  d.blocks.emplace_back(line("×2 宽高", Align::left, false, 2, 2));
  d.blocks.emplace_back(line("粗体 BOLD", Align::left, true));
  d.blocks.emplace_back(line("居中 centre", Align::center));
  d.blocks.emplace_back(line("右对齐 right", Align::right));
  d.rule();
  d.qr("BIANMIN-TEST " + info.link);
  d.blocks.emplace_back(ImageBlock{ruler(info.width_dots), Align::left});
  d.blocks.emplace_back(line("0    10   20   30   40   50 mm"));
  d.cut();
  return d;
}

}  // namespace bianmin::drivers::printer
