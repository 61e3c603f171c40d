// One heap(1) round: each class summed over the tree's processes, the most numerous kept
// plus the bounded ones; and the sampler that does nothing where heap(1) does not exist.
#include "harness/sampler/class_sampler.h"

#include "tests/support/catch.h"

using namespace mcpleak;

namespace {

HeapReport report(std::vector<std::pair<std::string, std::uint64_t>> counts) {
  HeapReport r;
  for (auto& [name, count] : counts) r.classes.push_back({name, "CFType", "HIServices", count, count * 64});
  return r;
}

}  // namespace

TEST_CASE("a heap round sums each class over the processes and keeps the bounded ones", "[classes]") {
  const std::vector<HeapReport> reports = {
      report({{"__NSCFString", 900}, {"AXObserver", 3}, {"NSObject", 50}}),
      report({{"__NSCFString", 100}, {"AXUIElement", 2}, {"", 7}}),
  };
  auto all = class_round(reports, {});
  CHECK(all.size() == 4);  // the nameless row is not a class
  CHECK(all["__NSCFString"] == 1000);
  CHECK(all["AXObserver"] == 3);
  // Only the two most numerous, plus whatever an AX* bound needs.
  auto capped = class_round(reports, {"AX*"}, 2);
  CHECK(capped.size() == 4);
  CHECK(capped.contains("__NSCFString"));
  CHECK(capped.contains("NSObject"));
  CHECK(capped.contains("AXObserver"));
  CHECK(capped.contains("AXUIElement"));
  CHECK(class_round(reports, {}, 1).size() == 1);
}

TEST_CASE("without heap(1) the class sampler hands out nothing", "[classes]") {
  if (ClassSampler::available()) return;  // macOS: the live tool is used instead
  int asked = 0;
  ClassSampler sampler([&] { ++asked; return std::vector<pid_t>{1}; }, {"AX*"}, std::chrono::seconds(1));
  sampler.start();
  sampler.stop();
  CHECK(asked == 0);
  CHECK(sampler.take_new_round().empty());
  CHECK(sampler.notes().empty());
}
