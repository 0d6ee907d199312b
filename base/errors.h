#ifndef ES_ERRORS_H
#define ES_ERRORS_H

/* One error vocabulary: actions return 0 or one of these (negative). */
enum es_err {
	ES_OK = 0,
	ES_ENOMEM = -1,     /* allocation failed */
	ES_EINVAL = -2,     /* malformed input */
	ES_ETOOBIG = -3,    /* input larger than allowed */
	ES_EIO = -4,        /* read/write/socket failure */
	ES_EDB = -5,        /* database error (see the transaction's sqlstate) */
	ES_EUNAVAIL = -6,   /* database down or pool exhausted */
	ES_ETIMEOUT = -7,   /* waited longer than allowed */
	ES_ENOTFOUND = -8,  /* no such thing */
	ES_ECONFLICT = -9,  /* a rule refused the change */
};

#endif
