/*
 * The local certificate authority for zero-configuration TLS.  Makes, once
 * per directory, an EC P-256 CA (ca.crt, ca.key; CN "Borealis local CA",
 * 10 years, CA:TRUE, keyCertSign) and a server certificate it signs
 * (server.crt, server.key; 2 years, CA:FALSE, digitalSignature, serverAuth,
 * subjectAltName = the DNS names and IP addresses given), with subject and
 * authority key identifiers, which is what libpq (verify-full) and strict
 * verifiers (X509_V_FLAG_X509_STRICT, Python 3.13) require.  Files are
 * written to a temporary name and renamed; keys are 0600.  Loading the
 * result into a TLS context is tls.c's job.
 */
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/net_int.h"

#define NET_CA_DAYS 3650
#define NET_SERVER_DAYS 730
#define NET_CA_COMMON_NAME "Borealis local CA"
/* Backdating covers clients whose clock is a little behind ours. */
#define NET_CERT_BACKDATE_SECONDS 3600
#define NET_DNS_NAME_MAX_BYTES 253

typedef struct NetCertPaths {
    char ca_crt[4096];
    char ca_key[4096];
    char server_crt[4096];
    char server_key[4096];
} NetCertPaths;

static int net_cert_openssl_error(DbError *err, const char *what)
{
    char text[256];
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not %s: %s", what,
                        net_tls_error_text(text, sizeof text));
}

static bool net_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A DNS name for a SAN: letters, digits, '-' and '.', with an optional
 * "*." as the whole first label. */
static bool net_dns_name_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > NET_DNS_NAME_MAX_BYTES) return false;
    const char *p = name;
    if (p[0] == '*') {
        if (p[1] != '.' || p[2] == '\0') return false;
        p += 2;
    }
    size_t label = 0;
    for (; *p; p++) {
        char c = *p;
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

static int net_cert_write(const char *path, X509 *cert, EVP_PKEY *key, DbError *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    mode_t mode = key ? 0600 : 0644;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not create file \"%s\": %s", tmp,
                            strerror(errno));
    if (fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR,
                            "could not change permissions of file "
                            "\"%s\": %s",
                            tmp, strerror(e));
    }
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not open file \"%s\": %s", tmp,
                            strerror(e));
    }
    int ok =
        key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert);
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int e = errno;
    if (fclose(f) != 0) ok = 0;
    if (!ok) {
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not write file \"%s\": %s", tmp,
                            strerror(e ? e : EIO));
    }
    if (rename(tmp, path) != 0) {
        e = errno;
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not rename file \"%s\" to \"%s\": %s",
                            tmp, path, strerror(e));
    }
    return 0;
}

static int net_cert_add_ext(X509 *cert, X509V3_CTX *v3, int nid, const char *value, DbError *err)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);
    if (ext == NULL) return net_cert_openssl_error(err, "make a certificate extension");
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (!ok) return net_cert_openssl_error(err, "add a certificate extension");
    return 0;
}

static int net_cert_add_sans(X509 *cert, const char *const *dns_names, size_t n_dns,
                             const char *const *ip_addrs, size_t n_ip, DbError *err)
{
    GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
    if (gens == NULL) return net_cert_openssl_error(err, "allocate subject alternative names");
    for (size_t i = 0; i < n_dns; i++) {
        GENERAL_NAME *gen = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();
        if (gen == NULL || s == NULL || !ASN1_STRING_set(s, dns_names[i], -1)) {
            GENERAL_NAME_free(gen);
            ASN1_IA5STRING_free(s);
            GENERAL_NAMES_free(gens);
            return net_cert_openssl_error(err, "make a DNS subject alternative name");
        }
        GENERAL_NAME_set0_value(gen, GEN_DNS, s);
        sk_GENERAL_NAME_push(gens, gen);
    }
    for (size_t i = 0; i < n_ip; i++) {
        GENERAL_NAME *gen = GENERAL_NAME_new();
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(ip_addrs[i]);
        if (gen == NULL || ip == NULL) {
            GENERAL_NAME_free(gen);
            ASN1_OCTET_STRING_free(ip);
            GENERAL_NAMES_free(gens);
            ERR_clear_error();
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "invalid IP address for the server certificate: \"%s\"",
                                ip_addrs[i]);
        }
        GENERAL_NAME_set0_value(gen, GEN_IPADD, ip);
        sk_GENERAL_NAME_push(gens, gen);
    }
    int ok = X509_add1_ext_i2d(cert, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT);
    GENERAL_NAMES_free(gens);
    if (ok != 1) return net_cert_openssl_error(err, "add subject alternative names");
    return 0;
}

/* Fills the parts common to both certificates: version 3, a random
 * positive 127-bit serial, validity, subject, issuer and public key. */
static int net_cert_init(X509 *cert, EVP_PKEY *key, const char *common_name, X509 *issuer,
                         long days, DbError *err)
{
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return net_cert_openssl_error(err, "make a certificate serial number");
    serial[0] &= 0x7f;
    serial[0] |= 0x40; /* keep the DER length fixed and the value non-zero */
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    ok = ok && X509_set_version(cert, 2);
    ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert), -NET_CERT_BACKDATE_SECONDS) != NULL;
    ok = ok && X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0, NULL) != NULL;
    X509_NAME *subject = X509_get_subject_name(cert);
    ok = ok && X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                          (const unsigned char *)"Borealis", -1, -1, 0);
    ok = ok && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                          (const unsigned char *)common_name, -1, -1, 0);
    ok = ok && X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject);
    ok = ok && X509_set_pubkey(cert, key);
    if (!ok) return net_cert_openssl_error(err, "fill in a certificate");
    return 0;
}

static int net_cert_make_ca(EVP_PKEY *key, X509 **out, DbError *err)
{
    X509 *cert = X509_new();
    if (cert == NULL) return net_cert_openssl_error(err, "allocate a certificate");
    X509V3_CTX v3;
    int rc = net_cert_init(cert, key, NET_CA_COMMON_NAME, NULL, NET_CA_DAYS, err);
    if (rc == 0) {
        X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
        rc = net_cert_add_ext(cert, &v3, NID_basic_constraints, "critical,CA:TRUE", err);
    }
    if (rc == 0)
        rc = net_cert_add_ext(cert, &v3, NID_key_usage, "critical,keyCertSign,cRLSign", err);
    if (rc == 0) rc = net_cert_add_ext(cert, &v3, NID_subject_key_identifier, "hash", err);
    if (rc == 0) rc = net_cert_add_ext(cert, &v3, NID_authority_key_identifier, "keyid", err);
    if (rc == 0 && X509_sign(cert, key, EVP_sha256()) <= 0)
        rc = net_cert_openssl_error(err, "sign the CA certificate");
    if (rc != 0) {
        X509_free(cert);
        return -1;
    }
    *out = cert;
    return 0;
}

static int net_cert_make_server(EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
                                const char *const *dns_names, size_t n_dns,
                                const char *const *ip_addrs, size_t n_ip, X509 **out, DbError *err)
{
    X509 *cert = X509_new();
    if (cert == NULL) return net_cert_openssl_error(err, "allocate a certificate");
    const char *cn = n_dns > 0 ? dns_names[0] : ip_addrs[0];
    X509V3_CTX v3;
    int rc = net_cert_init(cert, key, cn, ca, NET_SERVER_DAYS, err);
    if (rc == 0) {
        X509V3_set_ctx(&v3, ca, cert, NULL, NULL, 0);
        rc = net_cert_add_ext(cert, &v3, NID_basic_constraints, "critical,CA:FALSE", err);
    }
    if (rc == 0) rc = net_cert_add_ext(cert, &v3, NID_key_usage, "critical,digitalSignature", err);
    if (rc == 0) rc = net_cert_add_ext(cert, &v3, NID_ext_key_usage, "serverAuth", err);
    if (rc == 0) rc = net_cert_add_ext(cert, &v3, NID_subject_key_identifier, "hash", err);
    if (rc == 0)
        rc = net_cert_add_ext(cert, &v3, NID_authority_key_identifier, "keyid:always", err);
    if (rc == 0) rc = net_cert_add_sans(cert, dns_names, n_dns, ip_addrs, n_ip, err);
    if (rc == 0 && X509_sign(cert, ca_key, EVP_sha256()) <= 0)
        rc = net_cert_openssl_error(err, "sign the server certificate");
    if (rc != 0) {
        X509_free(cert);
        return -1;
    }
    *out = cert;
    return 0;
}

static int net_cert_load_ca(const NetCertPaths *paths, X509 **cert_out, EVP_PKEY **key_out,
                            DbError *err)
{
    char text[256];
    FILE *f = fopen(paths->ca_crt, "r");
    if (f == NULL)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not open file \"%s\": %s", paths->ca_crt,
                            strerror(errno));
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (cert == NULL)
        return db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR,
                            "could not load root certificate file \"%s\": %s", paths->ca_crt,
                            net_tls_error_text(text, sizeof text));
    f = fopen(paths->ca_key, "r");
    if (f == NULL) {
        X509_free(cert);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not open file \"%s\": %s", paths->ca_key,
                            strerror(errno));
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (key == NULL || X509_check_private_key(cert, key) != 1) {
        db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR,
                     "could not load private key file \"%s\" for \"%s\": %s", paths->ca_key,
                     paths->ca_crt, net_tls_error_text(text, sizeof text));
        EVP_PKEY_free(key);
        X509_free(cert);
        return -1;
    }
    *cert_out = cert;
    *key_out = key;
    return 0;
}

static int net_cert_check_pair(const char *crt, const char *key, DbError *err)
{
    bool has_crt = net_file_exists(crt), has_key = net_file_exists(key);
    if (has_crt == has_key) return has_crt ? 1 : 0;
    return db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR,
                        "incomplete certificate directory: \"%s\" exists but \"%s\" does not",
                        has_crt ? crt : key, has_crt ? key : crt);
}

int net_tls_ensure_certs(const char *dir, const char *const *dns_names, size_t n_dns,
                         const char *const *ip_addrs, size_t n_ip, DbError *err)
{
    if (n_dns + n_ip == 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "a server certificate needs at least one DNS name or IP address");
    for (size_t i = 0; i < n_dns; i++)
        if (!net_dns_name_valid(dns_names[i]))
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "invalid DNS name for the server certificate: \"%s\"",
                                dns_names[i]);
    NetCertPaths paths;
    int n = snprintf(paths.ca_crt, sizeof paths.ca_crt, "%s/ca.crt", dir);
    if (n < 0 || (size_t)n + 8 >= sizeof paths.ca_crt)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "certificate directory name is too long");
    snprintf(paths.ca_key, sizeof paths.ca_key, "%s/ca.key", dir);
    snprintf(paths.server_crt, sizeof paths.server_crt, "%s/server.crt", dir);
    snprintf(paths.server_key, sizeof paths.server_key, "%s/server.key", dir);

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not create directory \"%s\": %s", dir,
                            strerror(errno));
    int have_ca = net_cert_check_pair(paths.ca_crt, paths.ca_key, err);
    if (have_ca < 0) return -1;
    int have_server = net_cert_check_pair(paths.server_crt, paths.server_key, err);
    if (have_server < 0) return -1;
    if (have_ca && have_server) return 0;

    X509 *ca = NULL, *server = NULL;
    EVP_PKEY *ca_key = NULL, *server_key = NULL;
    int rc = 0;
    ERR_clear_error();
    if (have_ca) {
        rc = net_cert_load_ca(&paths, &ca, &ca_key, err);
    } else {
        ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        if (ca_key == NULL) rc = net_cert_openssl_error(err, "generate the CA key");
        if (rc == 0) rc = net_cert_make_ca(ca_key, &ca, err);
        if (rc == 0) rc = net_cert_write(paths.ca_key, NULL, ca_key, err);
        if (rc == 0) rc = net_cert_write(paths.ca_crt, ca, NULL, err);
    }
    /* A new CA invalidates any server certificate signed by an old one. */
    if (rc == 0) {
        server_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        if (server_key == NULL) rc = net_cert_openssl_error(err, "generate the server key");
    }
    if (rc == 0)
        rc = net_cert_make_server(server_key, ca, ca_key, dns_names, n_dns, ip_addrs, n_ip, &server,
                                  err);
    if (rc == 0) rc = net_cert_write(paths.server_key, NULL, server_key, err);
    if (rc == 0) rc = net_cert_write(paths.server_crt, server, NULL, err);
    X509_free(server);
    X509_free(ca);
    EVP_PKEY_free(server_key);
    EVP_PKEY_free(ca_key);
    ERR_clear_error();
    return rc;
}
