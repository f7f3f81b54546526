/* cluster.h — the embedded PostgreSQL: a private cluster in the data folder.
 *
 * With no database configured, parlearn keeps its own PostgreSQL 15 cluster in
 * DATA/pg/data, reachable only through a unix socket in DATA/pg/run (no TCP). As root it runs
 * the cluster as an unprivileged user (PostgreSQL refuses root). The process that starts
 * the postmaster is its parent and owns it: the postmaster gets SIGINT (fast shutdown) when
 * its owner dies, even by SIGKILL, so no postgres is left behind.
 *
 * Several parlearn processes may use one data folder: the first to open it owns the cluster
 * (a server for its lifetime, a CLI command for its duration); the others connect to the
 * running cluster. A CLI owner waits for the other users to finish before it stops the
 * cluster; a server waits (up to 60 s) for a CLI owner to finish before taking over.
 */
#ifndef SRV_CLUSTER_H
#define SRV_CLUSTER_H

#include "lms/error.h"

#include <stdbool.h>

typedef struct srv_cluster srv_cluster;

typedef struct srv_cluster_opts {
	const char *data_dir; /* the data folder; created if missing */
	const char *pg_bin;   /* directory of initdb and postgres */
	const char *pg_user;  /* the OS user to run as when we are root */
	bool server;          /* the caller is `parlearn serve` */
} srv_cluster_opts;

/* Makes (initdb) the cluster if it does not exist, then starts it or attaches to the one
 * running, and creates the database "parlearn" in it. *out owns what was started. */
int srv_cluster_open(const srv_cluster_opts *o, srv_cluster **out, lms_err *err);

/* The libpq connection string of the cluster's database. */
const char *srv_cluster_conninfo(const srv_cluster *c);

/* True while the postmaster we started is running (always true when attached). */
bool srv_cluster_alive(srv_cluster *c);

/* Starts the cluster again after its postmaster died, when this process owns it. */
int srv_cluster_restart(srv_cluster *c, lms_err *err);

/* Stops the cluster if this process owns it (fast shutdown, waiting for it to exit), and
 * releases the data folder. NULL is fine. */
void srv_cluster_close(srv_cluster *c);

#endif
