/*
 * The types room's public header: datums (datum.h) and, as the room grows,
 * type I/O, operators, casts and built-in functions.
 */
#pragma once

#include "types/datum.h"
