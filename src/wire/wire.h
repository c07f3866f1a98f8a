/*
 * The wire room's public header: the PostgreSQL v3 protocol as bytes.
 * Startup packets (startup.c), framed frontend messages and the bounds-
 * checked reader (message.c), decoders of every frontend message the
 * server accepts (frontend.c) and encoders of backend messages (backend.c).
 * This room decides nothing about sessions, authentication or SQL: it turns
 * bytes into structs and structs into bytes, and raises PostgreSQL's own
 * protocol errors (08P01 and friends) in PostgreSQL's words.  I/O goes
 * through net/; OpenSSL is never included here.
 *
 * Framing (all integers big-endian):
 *   startup packet   Int32 length (self included) | Int32 code | body
 *   frontend message Byte1 type | Int32 length (self included) | body
 *   backend message  Byte1 type | Int32 length (self included) | body
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "net/net.h"

/* Protocol versions and the special startup codes (major 1234). */
#define WIRE_PROTOCOL(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define WIRE_PROTOCOL_MAJOR(v) ((v) >> 16)
#define WIRE_PROTOCOL_MINOR(v) ((v)&0xffff)
#define WIRE_PROTOCOL_3_0 196608u /* the only version spoken */
#define WIRE_CODE_CANCEL_REQUEST 80877102u
#define WIRE_CODE_SSL_REQUEST 80877103u
#define WIRE_CODE_GSSENC_REQUEST 80877104u

/* ---- Startup phase (startup.c) ---- */

typedef enum WireStartupKind {
    WIRE_STARTUP_SSL_REQUEST,
    WIRE_STARTUP_GSSENC_REQUEST,
    WIRE_STARTUP_CANCEL,
    WIRE_STARTUP_MESSAGE,
} WireStartupKind;

typedef struct WireStartup {
    WireStartupKind kind;
    /* WIRE_PROTOCOL_3_0 for a StartupMessage (3.x with x > 0 is spoken as
     * 3.0), else the request code. */
    uint32_t protocol;
    /* What the client asked for; differs from protocol for 3.x, x > 0. */
    uint32_t requested_protocol;
    /* Parameters in packet order, "_pq_." protocol options excluded.  A
     * name may repeat; wire_startup_param returns the last value. */
    size_t n_params;
    const char *names[LIMIT_STARTUP_PARAMS];
    const char *values[LIMIT_STARTUP_PARAMS];
    /* "_pq_.*" names, none of which is recognised (as in PostgreSQL 16). */
    size_t n_protocol_options;
    const char *protocol_options[LIMIT_STARTUP_PARAMS];
    int32_t cancel_pid; /* WIRE_STARTUP_CANCEL only */
    int32_t cancel_key;
} WireStartup;

/*
 * Decodes a startup packet body (the bytes after the length word; len is
 * the length word minus 4).  Strings are copied into cx.  Errors (all
 * FATAL): 08P01 "invalid length of startup packet", 08P01 "invalid startup
 * packet layout: expected terminator as last byte", 0A000 "unsupported
 * frontend protocol %u.%u: server supports 3.0 to 3.0", 08P01 "too many
 * parameters in startup packet" (LIMIT_STARTUP_PARAMS), 28000 "no
 * PostgreSQL user name specified in startup packet".
 */
int wire_startup_decode(const uint8_t *body, size_t len, MemContext *cx, WireStartup *out,
                        DbError *err);
/* Reads one startup packet (length bounds: 8 to LIMIT_STARTUP_PACKET_BYTES)
 * and decodes it.  EOF before any byte passes net's 08006 through; EOF
 * later is 08P01 "incomplete startup packet". */
int wire_startup_read(NetConn *conn, MemContext *cx, WireStartup *out, DbError *err);
/* The value of the last parameter called name, or NULL. */
const char *wire_startup_param(const WireStartup *s, const char *name);
/* True when PostgreSQL would answer with NegotiateProtocolVersion: a minor
 * version above 0 was requested or "_pq_." options were sent. */
bool wire_startup_needs_negotiation(const WireStartup *s);

/* ---- Reading frontend messages (message.c) ---- */

/* One frontend message; body points into the scratch buffer passed to
 * wire_message_read and lives until the next read into it. */
typedef struct WireMessage {
    char type;
    const uint8_t *body;
    size_t len;
} WireMessage;

/*
 * Reads one message: type byte, length, body.  Errors (FATAL, the
 * connection cannot go on): EOF before the type byte passes net's 08006
 * through; 08P01 "invalid frontend message type %d" for a type no frontend
 * sends; 08P01 "unexpected EOF within message length word"; 08P01 "invalid
 * message length" when the length is < 4 or > LIMIT_MESSAGE_BYTES (DSQL's
 * 10 MiB); 08P01 "incomplete message from client".
 */
int wire_message_read(NetConn *conn, StrBuf *scratch, WireMessage *out, DbError *err);
/* The same with a tighter limit on the length (self included), for phases
 * where big messages make no sense: before authentication, a client should
 * not make the server hold 10 MiB (LIMIT_PASSWORD_BYTES + 4 there). */
int wire_message_read_limited(NetConn *conn, StrBuf *scratch, size_t max_length, WireMessage *out,
                              DbError *err);
/* True for the message types a frontend may send (the set PostgreSQL's
 * SocketBackend accepts, plus 'p'). */
bool wire_message_type_valid(char type);

/*
 * WireReader: a cursor over a message body; every read is bounds-checked
 * and fails with PostgreSQL's pqformat.c errors (08P01, severity ERROR):
 * "no data left in message", "insufficient data left in message",
 * "invalid string in message", and wire_reader_end's "invalid message
 * format" when bytes are left over.
 */
typedef struct WireReader {
    const uint8_t *data;
    size_t len;
    size_t pos;
} WireReader;

void wire_reader_init(WireReader *r, const uint8_t *data, size_t len);
size_t wire_reader_remaining(const WireReader *r);
int wire_reader_byte(WireReader *r, uint8_t *out, DbError *err);
int wire_reader_int16(WireReader *r, int16_t *out, DbError *err);
/* An Int16 count, read as PostgreSQL reads it: unsigned, 0..65535. */
int wire_reader_uint16(WireReader *r, uint16_t *out, DbError *err);
int wire_reader_int32(WireReader *r, int32_t *out, DbError *err);
/* A NUL-terminated string; *out points into the data (NUL included). */
int wire_reader_cstring(WireReader *r, const char **out, DbError *err);
int wire_reader_bytes(WireReader *r, size_t n, const uint8_t **out, DbError *err);
int wire_reader_end(const WireReader *r, DbError *err);

/* ---- Frontend message decoders (frontend.c) ---- */

/* A parameter or column value: len -1 is NULL (data NULL then). */
typedef struct WireValue {
    const uint8_t *data;
    int32_t len;
} WireValue;

/* PasswordMessage ('p'); also how SASL responses arrive. */
typedef struct WirePassword {
    const char *password;
    size_t len;
} WirePassword;

/* Query ('Q'): simple query protocol. */
typedef struct WireQuery {
    const char *sql;
    size_t len;
} WireQuery;

/* Parse ('P'). */
typedef struct WireParse {
    const char *name; /* "" = the unnamed statement */
    const char *query;
    size_t query_len;
    uint16_t n_param_types;
    const uint32_t *param_types; /* 0 = unspecified */
} WireParse;

/* Bind ('B'). */
typedef struct WireBind {
    const char *portal;
    const char *statement;
    uint16_t n_param_formats; /* 0: all text; 1: applies to all; else one each */
    const int16_t *param_formats;
    uint16_t n_params;
    const WireValue *params;
    uint16_t n_result_formats;
    const int16_t *result_formats;
} WireBind;

/* Describe ('D'). */
typedef struct WireDescribe {
    char kind; /* 'S' statement or 'P' portal */
    const char *name;
} WireDescribe;

/* Execute ('E'). */
typedef struct WireExecute {
    const char *portal;
    int32_t max_rows; /* <= 0: no limit */
} WireExecute;

/* Close ('C'). */
typedef struct WireClose {
    char kind; /* 'S' or 'P' */
    const char *name;
} WireClose;

/* CopyData ('d'). */
typedef struct WireCopyData {
    const uint8_t *data;
    size_t len;
} WireCopyData;

/* CopyFail ('f'). */
typedef struct WireCopyFail {
    const char *message;
} WireCopyFail;

/* Strings and values point into the message body; arrays are allocated in
 * cx.  Errors are 08P01, severity ERROR, PostgreSQL's texts. */
int wire_password_decode(const WireMessage *m, WirePassword *out, DbError *err);
int wire_query_decode(const WireMessage *m, WireQuery *out, DbError *err);
int wire_parse_decode(const WireMessage *m, MemContext *cx, WireParse *out, DbError *err);
int wire_bind_decode(const WireMessage *m, MemContext *cx, WireBind *out, DbError *err);
int wire_describe_decode(const WireMessage *m, WireDescribe *out, DbError *err);
int wire_execute_decode(const WireMessage *m, WireExecute *out, DbError *err);
int wire_close_decode(const WireMessage *m, WireClose *out, DbError *err);
int wire_copy_data_decode(const WireMessage *m, WireCopyData *out, DbError *err);
int wire_copy_fail_decode(const WireMessage *m, WireCopyFail *out, DbError *err);
/* Sync and Flush have no body ("invalid message format" otherwise);
 * Terminate and CopyDone ignore theirs, as PostgreSQL does. */
int wire_sync_decode(const WireMessage *m, DbError *err);
int wire_flush_decode(const WireMessage *m, DbError *err);
int wire_terminate_decode(const WireMessage *m, DbError *err);
int wire_copy_done_decode(const WireMessage *m, DbError *err);

/* Any frontend message, decoded by its type: the one dispatch switch. */
typedef struct WireFrontend {
    char type;
    union {
        WirePassword password;
        WireQuery query;
        WireParse parse;
        WireBind bind;
        WireDescribe describe;
        WireExecute execute;
        WireClose close;
        WireCopyData copy_data;
        WireCopyFail copy_fail;
    } u;
} WireFrontend;

/* Errors: a decoder's; 0A000 "fastpath function calls not supported" for
 * 'F'; 08P01 "invalid frontend message type %d" for an unknown type. */
int wire_frontend_decode(const WireMessage *m, MemContext *cx, WireFrontend *out, DbError *err);

/* ---- Backend message encoders (backend.c) ---- */

/* Appends Byte1 type and a length placeholder; returns the placeholder's
 * offset for wire_msg_end, which patches in the length. */
size_t wire_msg_begin(StrBuf *out, char type);
void wire_msg_end(StrBuf *out, size_t start);

/* One column of a RowDescription. */
typedef struct WireField {
    const char *name;
    uint32_t table_oid; /* 0 = not a table column */
    int16_t attnum;     /* 0 = not a table column */
    uint32_t type_oid;
    int16_t typlen; /* pg_type.typlen: -1 varlena, -2 cstring */
    int32_t typmod; /* -1 = none */
    int16_t format; /* 0 text, 1 binary */
} WireField;

/* The one-byte answer to SSLRequest/GSSENCRequest ('S' or 'N'): no length
 * word, not a message. */
void wire_ssl_response_encode(StrBuf *out, bool accept);
void wire_auth_ok_encode(StrBuf *out);
void wire_auth_cleartext_password_encode(StrBuf *out);
void wire_parameter_status_encode(StrBuf *out, const char *name, const char *value);
void wire_backend_key_data_encode(StrBuf *out, int32_t pid, int32_t key);
/* status: 'I' idle, 'T' in a transaction block, 'E' in a failed one. */
void wire_ready_for_query_encode(StrBuf *out, char status);
void wire_row_description_encode(StrBuf *out, const WireField *fields, size_t n);
void wire_data_row_encode(StrBuf *out, const WireValue *values, size_t n);
void wire_command_complete_encode(StrBuf *out, const char *tag);
void wire_empty_query_response_encode(StrBuf *out);
/* Fields S, V, C, M always; D, H, P, s, t, c, n when set.  An error
 * without a SQLSTATE is sent as XX000. */
void wire_error_encode(StrBuf *out, const DbError *e);
void wire_notice_encode(StrBuf *out, const DbError *e);
void wire_parse_complete_encode(StrBuf *out);
void wire_bind_complete_encode(StrBuf *out);
void wire_close_complete_encode(StrBuf *out);
void wire_no_data_encode(StrBuf *out);
void wire_portal_suspended_encode(StrBuf *out);
void wire_parameter_description_encode(StrBuf *out, const uint32_t *type_oids, size_t n);
/* overall_format 0 text / 1 binary; one format per column. */
void wire_copy_in_response_encode(StrBuf *out, int8_t overall_format, const int16_t *formats,
                                  size_t n);
void wire_copy_out_response_encode(StrBuf *out, int8_t overall_format, const int16_t *formats,
                                   size_t n);
void wire_copy_data_encode(StrBuf *out, const void *data, size_t len);
void wire_copy_done_encode(StrBuf *out);
/* newest_protocol is a full version number (WIRE_PROTOCOL_3_0), as
 * PostgreSQL sends it; options are the unrecognised "_pq_." names. */
void wire_negotiate_protocol_version_encode(StrBuf *out, uint32_t newest_protocol,
                                            const char *const *options, size_t n_options);
/* NegotiateProtocolVersion for a startup packet that needs one. */
void wire_startup_negotiation_encode(StrBuf *out, const WireStartup *s);

/* Writes out's bytes to the connection and resets out (also on error). */
int wire_flush(NetConn *conn, StrBuf *out, DbError *err);
