// The one header tests include: Catch2 v2 (Debian) or v3 (Homebrew), same macros.
#pragma once

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#define MCPLEAK_CATCH_V3 1
#else
#include <catch2/catch.hpp>
#endif
