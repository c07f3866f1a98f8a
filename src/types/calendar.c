/*
 * The calendar for other rooms: days since 2000-01-01 ↔ year, month, day
 * (proleptic Gregorian, astronomical years as PostgreSQL counts them
 * internally).  The arithmetic is datetime's; this file only publishes it.
 */
#include "types/types.h"
#include "types/types_int.h"

void type_date_to_ymd(int64_t days, int64_t *year, int *month, int *day)
{
    tdt_ymd_from_days(days, year, month, day);
}

int64_t type_date_from_ymd(int64_t year, int month, int day)
{
    return tdt_days_from_ymd(year, month, day);
}
