#include "harness/runner/scenario.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "harness/runner/units.h"

namespace mcpleak {
namespace {

using nlohmann::json;

// Errors carry the file and the JSON path: "scenarios/x.json: $.phases[1].rate: ...".
struct Loader {
  const std::string& source;
  const std::map<std::string, std::string>& vars;

  Error fail(const std::string& path, const std::string& what) const {
    return Error(Errc::usage, path + ": " + what).with(source);
  }

  Result<std::string> substitute(const std::string& text, const std::string& path) const {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
      const auto open = text.find("${", pos);
      if (open == std::string::npos) {
        out.append(text, pos);
        break;
      }
      // "$${" is a literal "${" (a recorded argument that holds one).
      if (open > pos && text[open - 1] == '$') {
        out.append(text, pos, open - pos - 1);
        out += "${";
        pos = open + 2;
        continue;
      }
      const auto close = text.find('}', open);
      if (close == std::string::npos) return fail(path, "unterminated ${ in \"" + text + "\"");
      out.append(text, pos, open - pos);
      const std::string key = text.substr(open + 2, close - open - 2);
      const auto it = vars.find(key);
      if (it == vars.end()) {
        return fail(path, "unknown variable ${" + key + "} (define it in \"vars\" or pass --var " +
                              key + "=VALUE)");
      }
      out += it->second;
      pos = close + 1;
    }
    return out;
  }

  Result<json> substitute_all(const json& value, const std::string& path) const {
    if (value.is_string()) {
      auto s = substitute(value.get<std::string>(), path);
      if (!s) return s.error();
      return json(*s);
    }
    if (value.is_object()) {
      json out = json::object();
      for (const auto& [k, v] : value.items()) {
        auto sub = substitute_all(v, path + "." + k);
        if (!sub) return sub.error();
        out[k] = std::move(*sub);
      }
      return out;
    }
    if (value.is_array()) {
      json out = json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto sub = substitute_all(value[i], path + "[" + std::to_string(i) + "]");
        if (!sub) return sub.error();
        out.push_back(std::move(*sub));
      }
      return out;
    }
    return value;
  }

  // A duration given as "30s" or a number of seconds.
  Result<std::optional<double>> duration(const json& obj, const char* key, const std::string& path) const {
    const auto it = obj.find(key);
    if (it == obj.end()) return std::optional<double>{};
    const std::string p = path + "." + key;
    if (it->is_number() && it->get<double>() >= 0) return std::optional<double>{it->get<double>()};
    if (it->is_string()) {
      auto s = substitute(it->get<std::string>(), p);
      if (!s) return s.error();
      auto d = parse_duration_s(*s);
      if (!d) return fail(p, d.error().message);
      return std::optional<double>{*d};
    }
    return fail(p, "expected a duration such as \"30s\" or a number of seconds");
  }

  Result<std::optional<double>> number(const json& obj, const char* key, const std::string& path,
                                       double min, double max) const {
    const auto it = obj.find(key);
    if (it == obj.end()) return std::optional<double>{};
    const std::string p = path + "." + key;
    if (!it->is_number()) return fail(p, "expected a number");
    const double v = it->get<double>();
    if (v < min || v > max) {
      return fail(p, "expected a number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return std::optional<double>{v};
  }

  Result<Phase> phase(const json& pj, const std::string& path) const {
    if (!pj.is_object()) return fail(path, "expected an object with \"name\" and \"steps\" or \"idle\"");
    Phase ph;
    const auto name = pj.find("name");
    if (name == pj.end() || !name->is_string() || name->get<std::string>().empty()) {
      return fail(path + ".name", "expected a non-empty string");
    }
    ph.name = name->get<std::string>();
    if (const auto idle = pj.find("idle"); idle != pj.end()) {
      if (!idle->is_boolean()) return fail(path + ".idle", "expected true or false");
      ph.idle = idle->get<bool>();
    }
    if (const auto steps = pj.find("steps"); steps != pj.end()) {
      if (!steps->is_array()) return fail(path + ".steps", "expected an array of {\"tool\", \"args\"}");
      for (std::size_t i = 0; i < steps->size(); ++i) {
        const std::string sp = path + ".steps[" + std::to_string(i) + "]";
        const json& sj = (*steps)[i];
        if (!sj.is_object()) return fail(sp, "expected an object with \"tool\" and \"args\"");
        const auto tool = sj.find("tool");
        if (tool == sj.end() || !tool->is_string() || tool->get<std::string>().empty()) {
          return fail(sp + ".tool", "expected a non-empty string");
        }
        Step step;
        auto tool_name = substitute(tool->get<std::string>(), sp + ".tool");
        if (!tool_name) return tool_name.error();
        step.tool = *tool_name;
        if (const auto args = sj.find("args"); args != sj.end()) {
          if (!args->is_object()) return fail(sp + ".args", "expected an object");
          auto sub = substitute_all(*args, sp + ".args");
          if (!sub) return sub.error();
          step.args = std::move(*sub);
        }
        auto after = duration(sj, "after", sp);
        if (!after) return after.error();
        step.after_s = *after;
        ph.steps.push_back(std::move(step));
      }
    }
    if (ph.idle && !ph.steps.empty()) return fail(path, "an idle phase has no steps");
    if (!ph.idle && ph.steps.empty()) return fail(path + ".steps", "expected at least one step (or \"idle\": true)");
    auto rate = number(pj, "rate", path, 0, 10000);
    if (!rate) return rate.error();
    ph.rate_per_s = *rate;
    auto dur = duration(pj, "duration", path);
    if (!dur) return dur.error();
    ph.duration_s = *dur;
    auto share = number(pj, "share", path, 0, 1);
    if (!share) return share.error();
    ph.share = *share;
    if (const auto calls = pj.find("calls"); calls != pj.end()) {
      if (!calls->is_number_unsigned() || calls->get<std::uint64_t>() == 0) {
        return fail(path + ".calls", "expected a positive whole number");
      }
      if (ph.idle) return fail(path + ".calls", "an idle phase makes no calls");
      ph.calls = calls->get<std::uint64_t>();
    }
    if (const auto cps = pj.find("calls_per_session"); cps != pj.end()) {
      if (ph.idle) return fail(path + ".calls_per_session", "an idle phase makes no calls");
      auto positive = [](const json& v) { return v.is_number_unsigned() && v.get<std::uint64_t>() > 0; };
      if (positive(*cps)) {
        ph.calls_per_session.push_back(cps->get<std::uint64_t>());
      } else if (cps->is_array() && !cps->empty() && std::all_of(cps->begin(), cps->end(), positive)) {
        for (const auto& v : *cps) ph.calls_per_session.push_back(v.get<std::uint64_t>());
      } else {
        return fail(path + ".calls_per_session",
                    "expected a positive whole number or a non-empty array of them");
      }
    }
    const int lengths = ph.duration_s.has_value() + ph.share.has_value() + ph.calls.has_value();
    if (lengths > 1) return fail(path, "give at most one of \"duration\", \"share\" and \"calls\"");
    if (const auto pace = pj.find("pace"); pace != pj.end()) {
      if (!pace->is_string() || (*pace != "recorded" && *pace != "rate")) {
        return fail(path + ".pace", "expected \"recorded\" (each step's \"after\") or \"rate\"");
      }
      ph.recorded_pace = *pace == "recorded";
      if (ph.recorded_pace) {
        if (ph.idle) return fail(path + ".pace", "an idle phase makes no calls");
        for (std::size_t i = 0; i < ph.steps.size(); ++i) {
          if (!ph.steps[i].after_s) {
            return fail(path + ".steps[" + std::to_string(i) + "].after",
                        "a phase with \"pace\": \"recorded\" needs each step's \"after\" (seconds after the previous call)");
          }
        }
      }
    }
    auto clients = whole_number(pj, "clients", path, 1, 64);
    if (!clients) return clients.error();
    if (*clients) {
      if (ph.idle) return fail(path + ".clients", "an idle phase has no clients");
      ph.clients = static_cast<int>(**clients);
    }
    return ph;
  }

  // A whole number in [lo, hi], given as a number or as a string after ${VAR} substitution
  // ("clients": "${clients}").
  Result<std::optional<std::uint64_t>> whole_number(const json& obj, const char* key, const std::string& path,
                                                   std::uint64_t lo, std::uint64_t hi) const {
    const auto it = obj.find(key);
    if (it == obj.end()) return std::optional<std::uint64_t>();
    const std::string at = path + "." + key;
    std::optional<std::uint64_t> v;
    if (it->is_number_unsigned()) {
      v = it->get<std::uint64_t>();
    } else if (it->is_string()) {
      auto text = substitute(it->get<std::string>(), at);
      if (!text) return text.error();
      if (!text->empty() && text->size() < 8 && std::all_of(text->begin(), text->end(), ::isdigit)) {
        v = std::stoull(*text);
      }
    }
    if (!v || *v < lo || *v > hi) {
      return fail(at, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    return v;
  }

  // "reconnect": {"cycles", "calls", "tool", "args", "grace"}; tool "" lists tools instead.
  Result<ReconnectSpec> reconnect(const json& rj, const std::string& path) const {
    if (!rj.is_object()) return fail(path, "expected {\"cycles\": N, \"calls\": N, \"tool\": NAME, \"grace\": \"2s\"}");
    ReconnectSpec spec;
    auto cycles = whole_number(rj, "cycles", path, 1, 1000);
    if (!cycles) return cycles.error();
    if (*cycles) spec.cycles = **cycles;
    auto calls = whole_number(rj, "calls", path, 0, 10000);
    if (!calls) return calls.error();
    if (*calls) spec.calls_per_cycle = **calls;
    if (const auto t = rj.find("tool"); t != rj.end()) {
      if (!t->is_string()) return fail(path + ".tool", "expected a tool name (\"\" lists the tools instead)");
      auto tool = substitute(t->get<std::string>(), path + ".tool");
      if (!tool) return tool.error();
      spec.tool = *tool;
    }
    if (const auto a = rj.find("args"); a != rj.end()) {
      if (!a->is_object()) return fail(path + ".args", "expected an object");
      auto args = substitute_all(*a, path + ".args");
      if (!args) return args.error();
      spec.args = *args;
    }
    auto grace = duration(rj, "grace", path);
    if (!grace) return grace.error();
    if (*grace) spec.grace_s = **grace;
    return spec;
  }

  // "close": delete | abandon | mixed (only with calls_per_session). Returns whether the
  // phase is to be split into a delete half and an abandon half.
  Result<bool> session_close(const json& pj, const std::string& path, Phase& ph) const {
    const auto it = pj.find("close");
    if (it == pj.end()) return false;
    const std::string at = path + ".close";
    if (ph.calls_per_session.empty()) return fail(at, "only a phase with calls_per_session closes sessions");
    if (!it->is_string()) return fail(at, "expected \"delete\", \"abandon\" or \"mixed\"");
    auto text = substitute(it->get<std::string>(), at);
    if (!text) return text.error();
    if (*text == "delete") return false;
    if (*text == "abandon") {
      ph.close = SessionClose::abandon;
      return false;
    }
    if (*text == "mixed") return true;
    return fail(at, "expected \"delete\", \"abandon\" or \"mixed\", got \"" + *text + "\"");
  }
};

}  // namespace

Result<Scenario> parse_scenario(std::string_view text, const std::string& source,
                                const std::map<std::string, std::string>& cli_vars) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    // Re-parse with exceptions only to get the byte position for the message.
    try {
      const json again = json::parse(text);
      (void)again;
    } catch (const json::exception& e) {
      // Not only parse_error: a number too large for a double is out_of_range (406).
      return Error(Errc::usage, std::string("not valid JSON: ") + e.what()).with(source);
    }
    return Error(Errc::usage, "not valid JSON").with(source);
  }
  std::map<std::string, std::string> vars;
  Loader early{source, vars};
  if (!doc.is_object()) return early.fail("$", "expected an object with \"name\" and \"phases\"");
  if (const auto v = doc.find("vars"); v != doc.end()) {
    if (!v->is_object()) return early.fail("$.vars", "expected an object of strings");
    for (const auto& [k, val] : v->items()) {
      if (!val.is_string()) return early.fail("$.vars." + k, "expected a string");
      vars[k] = val.get<std::string>();
    }
  }
  for (const auto& [k, val] : cli_vars) vars[k] = val;
  Loader L{source, vars};

  Scenario s;
  s.source = source;
  const auto name = doc.find("name");
  if (name == doc.end() || !name->is_string()) return L.fail("$.name", "expected a string");
  s.name = name->get<std::string>();
  // NOTE: not doc.value("description", ""): it throws type_error when the member is
  // there with another type (found by fuzz_scenario).
  if (const auto d = doc.find("description"); d != doc.end()) {
    if (!d->is_string()) return L.fail("$.description", "expected a string");
    s.description = d->get<std::string>();
  }
  if (const auto r = doc.find("reconnect"); r != doc.end()) {
    if (doc.contains("phases")) {
      return L.fail("$.phases", "a reconnect scenario has no phases: each cycle starts the server, makes "
                                "\"calls\" calls and disconnects");
    }
    auto spec = L.reconnect(*r, "$.reconnect");
    if (!spec) return spec.error();
    s.reconnect = std::move(*spec);
    return s;
  }
  const auto phases = doc.find("phases");
  if (phases == doc.end() || !phases->is_array() || phases->empty()) {
    return L.fail("$.phases", "expected a non-empty array of phases");
  }
  for (std::size_t i = 0; i < phases->size(); ++i) {
    const std::string path = "$.phases[" + std::to_string(i) + "]";
    auto ph = L.phase((*phases)[i], path);
    if (!ph) return ph.error();
    auto mixed = L.session_close((*phases)[i], path, *ph);
    if (!mixed) return mixed.error();
    if (!*mixed) {
      s.phases.push_back(std::move(*ph));
      continue;
    }
    if (ph->calls) return L.fail(path + ".close", "\"mixed\" splits the phase in two halves: give it a duration or a share, not calls");
    // Each half gets half the phase's length; a phase with neither duration nor share
    // shares the rest of the run equally, which two phases do too.
    Phase abandon = *ph;
    const std::string name = ph->name;
    ph->name = name + " (delete)";
    abandon.name = name + " (abandon)";
    abandon.close = SessionClose::abandon;
    for (Phase* half : {&*ph, &abandon}) {
      if (half->duration_s) *half->duration_s /= 2;
      if (half->share) *half->share /= 2;
    }
    s.phases.push_back(std::move(*ph));
    s.phases.push_back(std::move(abandon));
  }
  if (const auto b = doc.find("bounded_classes"); b != doc.end()) {
    if (!b->is_array()) return L.fail("$.bounded_classes", "expected an array of class-name globs such as \"AX*\"");
    for (const auto& pattern : *b) {
      if (!pattern.is_string() || pattern.get<std::string>().empty()) {
        return L.fail("$.bounded_classes", "expected non-empty strings (class-name globs such as \"AX*\")");
      }
      s.bounded_classes.push_back(pattern.get<std::string>());
    }
  }
  if (const auto c = doc.find("client"); c != doc.end()) {
    auto identity = client_identity_from_json(*c);
    if (!identity) return L.fail("$.client", identity.error().message);
    s.client = std::move(*identity);
  }
  if (const auto d = doc.find("diagnostics"); d != doc.end()) {
    if (!d->is_object() || !d->contains("tool") || !(*d)["tool"].is_string()) {
      return L.fail("$.diagnostics", "expected {\"tool\": NAME, \"every\": \"5s\"}");
    }
    DiagnosticsSpec spec;
    spec.tool = (*d)["tool"].get<std::string>();
    auto every = L.duration(*d, "every", "$.diagnostics");
    if (!every) return every.error();
    if (*every) spec.every_s = std::max(0.5, **every);
    s.diagnostics = spec;
  }
  if (const auto d = doc.find("defaults"); d != doc.end()) {
    if (!d->is_object()) return L.fail("$.defaults", "expected an object");
    for (auto [key, field] : {std::pair{"duration", &s.duration_s}, std::pair{"min_duration", &s.min_duration_s},
                              std::pair{"warmup", &s.warmup_s}}) {
      auto v = L.duration(*d, key, "$.defaults");
      if (!v) return v.error();
      *field = *v;
    }
    auto rate = L.number(*d, "rate", "$.defaults", 0, 10000);
    if (!rate) return rate.error();
    s.rate_per_s = *rate;
    if (const auto b = d->find("budget"); b != d->end()) {
      if (!b->is_string()) return L.fail("$.defaults.budget", "expected a string such as \"1MB/min\"");
      auto budget = parse_budget_bytes_per_min(b->get<std::string>());
      if (!budget) return L.fail("$.defaults.budget", budget.error().message);
      s.budget_bytes_per_min = *budget;
    }
  }
  return s;
}

const char* session_close_name(SessionClose close) {
  return close == SessionClose::abandon ? "abandon" : "delete";
}

int Scenario::max_clients() const {
  int most = 1;
  for (const auto& p : phases) most = std::max(most, p.clients);
  return most;
}

bool Scenario::uses_sessions() const {
  return std::any_of(phases.begin(), phases.end(), [](const Phase& p) { return !p.calls_per_session.empty(); });
}

Scenario tool_loop_scenario(const std::string& tool, const nlohmann::json& args) {
  Scenario s;
  s.name = "tool-loop";
  s.source = "--tool " + tool;
  s.description = "calls " + tool + " in a loop, then stays idle to see what is retained";
  Phase loop;
  loop.name = "loop";
  loop.steps.push_back({tool, args, std::nullopt});
  s.phases.push_back(std::move(loop));
  Phase idle;
  idle.name = "idle";
  idle.idle = true;
  idle.share = 0.15;
  s.phases.push_back(std::move(idle));
  return s;
}

Result<std::string> find_scenario_file(const std::string& name_or_path,
                                       const std::vector<std::string>& dirs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".json")) {
    return Error(Errc::usage, "no such scenario file").with(name_or_path);
  }
  std::string looked;
  for (const auto& dir : dirs) {
    const fs::path candidate = fs::path(dir) / (name_or_path + ".json");
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  return Error(Errc::usage, "no scenario named '" + name_or_path + "' (looked in " + looked +
                                "; pass a file path or set MCPLEAK_SCENARIOS)");
}

std::vector<std::optional<double>> plan_phase_lengths(const Scenario& s, double total_s) {
  std::vector<std::optional<double>> lengths(s.phases.size());
  double fixed = 0;
  int open = 0;
  for (std::size_t i = 0; i < s.phases.size(); ++i) {
    const Phase& p = s.phases[i];
    if (p.duration_s) lengths[i] = *p.duration_s;
    else if (p.share) lengths[i] = *p.share * total_s;
    else if (!p.calls) ++open;
    if (lengths[i]) fixed += *lengths[i];
  }
  const double rest = open > 0 ? std::max(0.0, total_s - fixed) / open : 0;
  for (std::size_t i = 0; i < s.phases.size(); ++i) {
    const Phase& p = s.phases[i];
    if (!lengths[i] && !p.calls) lengths[i] = rest;
  }
  return lengths;
}

}  // namespace mcpleak
