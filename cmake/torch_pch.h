// The one precompiled header: everything heavy that torch-using code includes.
#pragma once
#include <torch/torch.h>
#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>
