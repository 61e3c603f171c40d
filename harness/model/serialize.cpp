#include "harness/model/serialize.h"
