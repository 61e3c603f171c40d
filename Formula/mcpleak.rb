# Homebrew formula for mcpleak and axref, built from a release's source tarball.
#
# For each release, .github/workflows/release.yml runs ci/formula-update, which writes
# the real url (version and GitHub repository) and sha256 into the mcpleak.rb it attaches
# to the release. Until that file is copied over Formula/mcpleak.rb, the sha256 here is a
# placeholder (64 zeros): the tap then installs only with --HEAD.
#
# Checked on Linux only (ci/check-formula: ruby -c, a stub of the formula DSL, the url
# version against CMakeLists.txt). Not yet installed or tested with brew on a Mac.
class Mcpleak < Formula
  desc "Memory-leak harness for MCP servers, with a reference server (axref)"
  homepage "https://github.com/OWNER/mcpleak"
  url "https://github.com/OWNER/mcpleak/releases/download/v0.1.0/mcpleak-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  # No `license` line: the project has not chosen a licence yet
  # (packaging/debian/copyright says none-chosen). Add its SPDX id here once it has one.
  head "https://github.com/OWNER/mcpleak.git", branch: "main"

  # cli11, cpp-httplib and nlohmann-json are header-only in Homebrew (their bottles are
  # built for `all` platforms): nothing of them is needed once mcpleak is built. No
  # pkg-config: on macOS the build uses it for nothing (AT-SPI is Linux only).
  depends_on "cli11" => :build
  depends_on "cmake" => :build
  depends_on "cpp-httplib" => :build
  depends_on "nlohmann-json" => :build
  # No OpenSSL: on macOS CMakeLists.txt takes only httplib.h from cpp-httplib, not its
  # CMake config (built with OpenSSL); mcpleak speaks plain HTTP only.

  def install
    args = %w[
      -DMCPLEAK_BUILD_TESTS=OFF
      -DMCPLEAK_BUILD_BENCH=OFF
    ]
    system "cmake", "-S", ".", "-B", "build", *args, *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  test do
    assert_match "mcpleak #{version}", shell_output("#{bin}/mcpleak --version")
    assert_match "axref #{version}", shell_output("#{bin}/axref --version")

    # A short run against axref's synthetic accessibility tree (no permissions needed):
    # exit 0 and the verdict "bounded". mcpleak finds its scenarios in share/mcpleak.
    system bin/"mcpleak", "run", "--scenario", "snapshot-loop",
           "--duration", "20s", "--min-duration", "10s", "--warmup", "2s",
           "--out", testpath/"run", "--", bin/"axref", "--backend", "synthetic"
    report = JSON.parse((testpath/"run/report.json").read)
    assert_equal "bounded", report["verdict"]
  end
end
