// bianmin catalog import|list|search|show|funds|snapshots
#include <cstdio>
#include <iostream>

#include "audit/audit_log.h"
#include "base/fs.h"
#include "catalog/catalog_store.h"
#include "catalog/search.h"
#include "catalog/serialize.h"
#include "cli/runner.h"
#include "domain/time_limit.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

struct Filters {
  std::string category, department;
  bool kiosk = false;
  std::size_t limit = 0;
  bool json_out = false;
};

void add_filters(CLI::App* cmd, Filters& f) {
  cmd->add_option("--category", f.category, "Only this category (licensing, benefit, …)");
  cmd->add_option("--department", f.department, "Only items of this implementing body");
  cmd->add_flag("--kiosk", f.kiosk, "Only items that can be submitted at this terminal");
  cmd->add_flag("--json", f.json_out, "Print JSON");
}

Result<catalog::ActiveCatalog> load(Runner& r) {
  BIANMIN_ASSIGN(store::Store * s, r.store());
  catalog::CatalogStore cs(s->db());
  return cs.load_active();
}

// Browsing groups by category; search results keep their rank order.
int print_hits(const std::vector<catalog::SearchHit>& hits, bool as_json, bool grouped) {
  if (as_json) {
    json out = json::array();
    for (const auto& h : hits) out.push_back(catalog::summary_json(*h.item));
    print_json(out);
    return kOk;
  }
  const char* last_category = "";
  for (const auto& h : hits) {
    const char* cat = catalog::category_zh(h.item->category);
    if (grouped && std::string(cat) != last_category) std::printf("\n【%s】\n", cat);
    last_category = cat;
    std::printf("  %-22s %s  （%s%s，承诺%s%s）\n", h.item->code.c_str(), h.item->name.c_str(),
                grouped ? "" : (std::string(cat) + "，").c_str(),
              h.item->implementing_body.c_str(), domain::time_limit_zh(h.item->promised_days).c_str(),
              h.item->kiosk_submittable ? "，可在本机办理" : "，请到窗口办理");
  }
  if (hits.empty()) std::printf("没有找到符合条件的事项 (no matching items)\n");
  return kOk;
}

Result<catalog::SearchQuery> make_query(const Filters& f, std::string text) {
  catalog::SearchQuery q;
  q.text = std::move(text);
  if (!f.category.empty()) {
    q.category = catalog::parse_category(f.category);
    if (!q.category) return make_error("input_invalid", "unknown category \"" + f.category + "\"");
  }
  q.department = f.department;
  q.kiosk_only = f.kiosk;
  q.limit = f.limit ? f.limit : SIZE_MAX;
  return q;
}

}  // namespace

void add_catalog_commands(CLI::App& app, Runner& r) {
  auto* cat = app.add_subcommand("catalog", "The published lists: import, browse, search, show");
  cat->require_subcommand(1);

  {
    auto* cmd = cat->add_subcommand("import", "Import a catalogue file (spec JSON) and make it active");
    auto file = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    cmd->add_option("file", *file, "Catalogue JSON file")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, file, as_json]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      auto text = fs::read_file(*file, 64u << 20);
      if (!text) return Runner::fail(text.error(), text.error().code == "not_found" ? kNotFound : kRejected);
      catalog::CatalogStore cs((*s)->db());
      auto rep = cs.import(*text, *file);
      if (!rep) return fail(rep.error());
      audit::AuditLog((*s)->db(), (*s)->sealer())
          .append(audit::kCatalogImport, {{"version", rep->version}, {"items", rep->items}, {"source", "file"}})
          .ok();
      if (*as_json) {
        json skipped = json::array();
        for (const auto& k : rep->skipped) skipped.push_back({{"index", k.index}, {"code", k.code}, {"reason", k.reason}});
        print_json({{"version", rep->version}, {"items", rep->items}, {"skipped", skipped},
                    {"snapshot_id", rep->snapshot_id}, {"unchanged", rep->unchanged}});
      } else {
        std::printf("catalogue %s active: %zu items, %zu skipped%s\n", rep->version.c_str(), rep->items,
                    rep->skipped.size(), rep->unchanged ? " (unchanged)" : "");
        for (const auto& k : rep->skipped) std::printf("  skipped: %s\n", k.reason.c_str());
      }
      return kOk;
    });
  }
  {
    auto* cmd = cat->add_subcommand("list", "List the published items, grouped by category");
    auto f = std::make_shared<Filters>();
    add_filters(cmd, *f);
    on_run(cmd, r, [&r, f]() -> int {
      auto c = load(r);
      if (!c) return fail(c.error());
      auto q = make_query(*f, "");
      if (!q) return Runner::fail(q.error(), kUsage);
      catalog::SearchIndex index(c->catalog);
      auto hits = index.search(*q);
      std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
        return a.item->category < b.item->category;
      });
      if (!f->json_out)
        std::printf("%s 行政权力清单与公共服务事项 — 版本 %s，共 %zu 项\n", c->catalog.region_code.c_str(),
                    c->catalog.version.c_str(), hits.size());
      return print_hits(hits, f->json_out, true);
    });
  }
  {
    auto* cmd = cat->add_subcommand("search", "Search by name, pinyin initials (sfz) or full pinyin (shenfen)");
    auto f = std::make_shared<Filters>();
    auto text = std::make_shared<std::string>();
    cmd->add_option("text", *text, "What to look for")->required();
    cmd->add_option("--limit", f->limit, "Most results to show (default: catalog.search_limit)");
    add_filters(cmd, *f);
    on_run(cmd, r, [&r, f, text]() -> int {
      auto c = load(r);
      if (!c) return fail(c.error());
      auto q = make_query(*f, *text);
      if (!q) return Runner::fail(q.error(), kUsage);
      if (f->limit == 0) q->limit = static_cast<std::size_t>((*r.config())->integer("catalog.search_limit"));
      catalog::SearchIndex index(c->catalog);
      return print_hits(index.search(*q), f->json_out, false);
    });
  }
  {
    auto* cmd = cat->add_subcommand("show", "Show an item's full guide");
    auto code = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    cmd->add_option("code", *code, "Item code")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, code, as_json]() -> int {
      auto c = load(r);
      if (!c) return fail(c.error());
      const catalog::Item* it = c->catalog.find(*code);
      if (!it) return Runner::fail(make_error("not_found", "no item " + *code + " in the catalogue"), kNotFound);
      if (*as_json) {
        print_json(catalog::to_json(*it));
        return kOk;
      }
      std::printf("%s  %s\n", it->code.c_str(), it->name.c_str());
      std::printf("事项类型：%s    实施主体：%s    承办机构：%s\n", catalog::category_zh(it->category),
                  it->implementing_body.c_str(), it->handling_unit.c_str());
      std::printf("法定时限：%s    承诺时限：%s    %s\n", domain::time_limit_zh(it->statutory_days).c_str(),
                  domain::time_limit_zh(it->promised_days).c_str(),
                  it->kiosk_submittable ? "可在本机办理" : "请到窗口办理");
      std::printf("收费：%s\n", it->fee.free ? "不收费" : (it->fee.standard + "（" + it->fee.basis + "）").c_str());
      std::printf("实施依据：\n");
      for (const auto& b : it->legal_basis) std::printf("  %s %s：%s\n", b.title.c_str(), b.article.c_str(), b.text.c_str());
      std::printf("申请条件：\n");
      for (const auto& s : it->conditions) std::printf("  · %s\n", s.c_str());
      std::printf("申请材料：\n");
      for (const auto& m : it->materials)
        std::printf("  %s %s（%s，%d份）%s\n", m.required ? "★" : "☆", m.name.c_str(),
                    catalog::material_form_key(m.form), m.copies, m.note.c_str());
      std::printf("办理流程：\n");
      for (std::size_t i = 0; i < it->process.size(); ++i)
        std::printf("  %zu. %s（%s，%s）\n", i + 1, it->process[i].step.c_str(), it->process[i].role.c_str(),
                    domain::time_limit_zh(it->process[i].days).c_str());
      std::printf("咨询电话：%s    监督投诉电话：%s\n", it->consult_phone.c_str(), it->supervise_phone.c_str());
      return kOk;
    });
  }
  {
    auto* cmd = cat->add_subcommand("funds", "The special-funds list (财政专项资金管理清单)");
    auto as_json = std::make_shared<bool>(false);
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, as_json]() -> int {
      auto c = load(r);
      if (!c) return fail(c.error());
      json out = json::array();
      for (const auto& f : c->catalog.special_funds) out.push_back(catalog::to_json(f));
      if (*as_json) {
        print_json(out);
        return kOk;
      }
      for (const auto& f : c->catalog.special_funds)
        std::printf("  %d  %-28s %-40s %12.2f 万元\n", f.year, f.department.c_str(), f.project.c_str(),
                    static_cast<double>(f.amount_fen) / 1e6);
      return kOk;
    });
  }
  {
    auto* cmd = cat->add_subcommand("snapshots", "Stored catalogue versions (newest first)");
    auto as_json = std::make_shared<bool>(false);
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, as_json]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      auto list = catalog::CatalogStore((*s)->db()).list();
      if (!list) return fail(list.error());
      json out = json::array();
      for (const auto& i : *list)
        out.push_back({{"id", i.id}, {"version", i.version}, {"region_code", i.region_code}, {"source", i.source},
                       {"imported_at", i.imported_at}, {"items", i.items}, {"skipped", i.skipped}, {"active", i.active}});
      if (*as_json) print_json(out);
      else
        for (const auto& i : *list)
          std::printf("%s #%lld %s  %lld items  %s  %s\n", i.active ? "*" : " ", static_cast<long long>(i.id),
                      i.version.c_str(), static_cast<long long>(i.items), i.imported_at.c_str(), i.source.c_str());
      return kOk;
    });
  }
}

}  // namespace bianmin::cli
