/*
 * Logging to stderr, one line per event, with a timestamp and level.  The
 * level comes from BOREALIS_LOG (debug, info, warn, error; default info).
 * Thread-safe: each line is written with one fprintf call.
 */
#pragma once

typedef enum LogLevel { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } LogLevel;

void log_set_level(LogLevel level);
LogLevel log_get_level(void);
void log_write(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)
