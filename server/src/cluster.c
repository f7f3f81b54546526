/* cluster.c — the embedded PostgreSQL cluster (see cluster.h).
 *
 * Layout of the data folder:
 *   DATA/cluster.lock   flock held exclusively by the process that owns the postmaster
 *   DATA/cluster.users  flock held shared by every process using the cluster
 *   DATA/pg/data        PGDATA (owned by the cluster's user, mode 0700)
 *   DATA/pg/run         the unix socket directory (same owner, mode 0700)
 *   DATA/pg/postgres.log the postmaster's output
 * Programs run with fork + execv and an argv: no shell is ever involved.
 */
#include "cluster.h"

#include "lms/log.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SOCKET_PORT "5432"

struct srv_cluster {
	char data[PATH_MAX];
	char pgdata[PATH_MAX + 16];
	char sockdir[PATH_MAX + 16];
	char logfile[PATH_MAX + 32];
	char pg_bin[PATH_MAX];
	char conninfo[PATH_MAX + 128];
	char admin_conninfo[PATH_MAX + 128];
	int lock_fd, users_fd;
	pid_t postmaster;  /* our child, or 0 when attached to someone else's */
	bool as_other;     /* run PostgreSQL as another user (we are root) */
	uid_t uid;
	gid_t gid;
	bool server;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Makes (if needed) the directory name inside the directory parent_fd, owned by the
 * cluster's user, with mode. Works on descriptors, never following a symlink: the cluster's
 * user owns DATA/pg and could plant one to make root chown or chmod another file. */
static int ensure_dir(const srv_cluster *c, int parent_fd, const char *name, const char *shown,
                      mode_t mode, lms_err *err)
{
	struct stat st;
	int fd, rc = LMS_OK;

	if (mkdirat(parent_fd, name, mode) < 0 && errno != EEXIST)
		return lms_err_set(err, LMS_EINTERNAL, "data_folder", NULL, "cannot create %s: %s",
		                   shown, strerror(errno));
	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return lms_err_set(err, LMS_EINVAL, "data_folder", NULL,
		                   "%s is not a directory (a symbolic link?): %s", shown,
		                   strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    (st.st_uid != geteuid() && !(c->as_other && st.st_uid == c->uid))) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL,
		                 "%s belongs to another user; refusing to use it", shown);
		goto cleanup;
	}
	if ((c->as_other && fchown(fd, c->uid, c->gid) < 0) || fchmod(fd, mode) < 0)
		rc = lms_err_set(err, LMS_EINTERNAL, "data_folder", NULL, "cannot set the owner of %s: %s",
		                 shown, strerror(errno));
cleanup:
	close(fd);
	return rc;
}

/* Makes DATA/pg and DATA/pg/run. */
static int make_dirs(const srv_cluster *c, lms_err *err)
{
	char shown[PATH_MAX + 16];
	int data_fd, pg_fd = -1, rc;

	data_fd = open(c->data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (data_fd < 0)
		return lms_err_set(err, LMS_EINVAL, "data_folder", NULL, "data folder %s: %s", c->data,
		                   strerror(errno));
	snprintf(shown, sizeof(shown), "%s/pg", c->data);
	if ((rc = ensure_dir(c, data_fd, "pg", shown, 0700, err)) < 0)
		goto cleanup;
	pg_fd = openat(data_fd, "pg", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pg_fd < 0) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL, "%s: %s", shown, strerror(errno));
		goto cleanup;
	}
	rc = ensure_dir(c, pg_fd, "run", c->sockdir, 0700, err);
cleanup:
	if (pg_fd >= 0)
		close(pg_fd);
	close(data_fd);
	return rc;
}

/* In a child, after fork: become the cluster's user, then send output to the log file,
 * opened as that user (so a link planted there gains nothing), and stdin from /dev/null. */
static void child_setup(const srv_cluster *c)
{
	int fd, nul;

	if (c->as_other &&
	    (setgroups(0, NULL) < 0 || setgid(c->gid) < 0 || setuid(c->uid) < 0))
		_exit(126);
	fd = open(c->logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	if (nul >= 0)
		dup2(nul, 0);
}

/* Can user uid/gid search (traverse) every directory from / down to path? */
static int check_traversable(const srv_cluster *c, const char *path, const char *user,
                             lms_err *err)
{
	char buf[PATH_MAX];
	char *slash;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		if (stat(buf[0] ? buf : "/", &st) == 0) {
			bool ok = (st.st_mode & S_IXOTH) || (st.st_uid == c->uid && (st.st_mode & S_IXUSR)) ||
			          (st.st_gid == c->gid && (st.st_mode & S_IXGRP));
			if (!ok)
				return lms_err_set(err, LMS_EINVAL, "data_folder", NULL,
				                   "PostgreSQL runs as the user '%s', who cannot enter %s: "
				                   "choose a data folder it can reach (--data, e.g. "
				                   "/var/lib/parlearn) or allow it with 'chmod o+x %s'",
				                   user, buf[0] ? buf : "/", buf[0] ? buf : "/");
		}
		slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			if (buf[0] == '\0' || strcmp(buf, "/") == 0)
				break;
			buf[0] = '\0';
			continue;
		}
		*slash = '\0';
	}
	return LMS_OK;
}

/* Runs argv[0] (a PostgreSQL program) as the cluster's user, output to the log file, and
 * waits for it. */
static int run_program(const srv_cluster *c, char *const argv[], lms_err *err)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "fork: %s", strerror(errno));
	if (pid == 0) {
		child_setup(c);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return lms_err_set(err, LMS_EINTERNAL, "cluster_failed", NULL,
		                   "%s failed (status %d); see %s", argv[0],
		                   WIFEXITED(status) ? WEXITSTATUS(status) : -1, c->logfile);
	return LMS_OK;
}

static int run_initdb(srv_cluster *c, lms_err *err)
{
	char prog[PATH_MAX + 16];
	char *argv[16];
	int rc, i = 0;

	snprintf(prog, sizeof(prog), "%s/initdb", c->pg_bin);
	char o_d[] = "-D", o_u[] = "-U", o_user[] = "postgres", o_local[] = "--auth-local=trust",
	     o_host[] = "--auth-host=reject", o_enc[] = "--encoding=UTF8", o_loc[] = "--locale=C",
	     o_noi[] = "--no-instructions";
	argv[i++] = prog;
	argv[i++] = o_d;
	argv[i++] = c->pgdata;
	argv[i++] = o_u;
	argv[i++] = o_user;
	argv[i++] = o_local;
	argv[i++] = o_host;
	argv[i++] = o_enc;
	argv[i++] = o_loc;
	argv[i++] = o_noi;
	argv[i] = NULL;
	LMS_INFO("creating the embedded PostgreSQL cluster in %s", c->pgdata);
	if ((rc = run_program(c, argv, err)) < 0)
		return rc;
	return LMS_OK;
}

/* Does a server answer on our socket? */
static PGPing ping(const srv_cluster *c)
{
	return PQping(c->admin_conninfo);
}

static pid_t start_postmaster(srv_cluster *c, lms_err *err)
{
	char prog[PATH_MAX + 16];
	pid_t parent = getpid(), pid;

	snprintf(prog, sizeof(prog), "%s/postgres", c->pg_bin);
	pid = fork();
	if (pid < 0) {
		lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Our settings as command-line options, so that no file the cluster's user owns
		 * is written by root: no TCP, the socket in our folder only, modest memory, and
		 * terse logs (no DETAIL lines, which would quote key values such as a duplicate
		 * personal identification number). */
		char o_d[] = "-D", o_k[] = "-k", c1[] = "-c", c2[] = "-c", c3[] = "-c", c4[] = "-c",
		     c5[] = "-c", c6[] = "-c", listen[] = "listen_addresses=",
		     terse[] = "log_error_verbosity=terse", perm[] = "unix_socket_permissions=0700",
		     buffers[] = "shared_buffers=128MB", conns[] = "max_connections=200",
		     prefix[] = "log_line_prefix=%m [%p] ";
		char *argv[] = { prog, o_d, c->pgdata, o_k, c->sockdir, c1, listen, c2, terse, c3,
			         perm, c4, buffers, c5, conns, c6, prefix, NULL };
		/* Leave our process group, so a Ctrl-C meant for parlearn does not reach
		 * postgres before parlearn has finished its requests. */
		setpgid(0, 0);
		child_setup(c);
		/* Set after setuid: a change of credentials clears it (prctl(2)). */
		prctl(PR_SET_PDEATHSIG, SIGINT);
		if (getppid() != parent)
			_exit(0);
		execv(prog, argv);
		_exit(127);
	}
	return pid;
}

/* Removes a postmaster.pid that names no live postgres: a crash of the whole machine can
 * leave one whose PID now belongs to another program, which would make postgres refuse. */
static void clear_stale_pidfile(const srv_cluster *c)
{
	char path[PATH_MAX + 32], comm[PATH_MAX], name[64] = "";
	FILE *f;
	long pid = 0;

	snprintf(path, sizeof(path), "%s/postmaster.pid", c->pgdata);
	if (!(f = fopen(path, "r")))
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid > 0) {
		snprintf(comm, sizeof(comm), "/proc/%ld/comm", pid);
		if ((f = fopen(comm, "r"))) {
			if (!fgets(name, sizeof(name), f))
				name[0] = '\0';
			fclose(f);
		}
		if (strncmp(name, "postgres", 8) == 0)
			return; /* alive: postgres itself decides */
	}
	LMS_WARN("removing a stale postmaster.pid (pid %ld is not running)", pid);
	unlink(path);
}

static int wait_ready(srv_cluster *c, lms_err *err)
{
	int i, status;

	for (i = 0; i < 1200; i++) {
		PGPing p = ping(c);
		if (p == PQPING_OK)
			return LMS_OK;
		if (c->postmaster > 0 && waitpid(c->postmaster, &status, WNOHANG) == c->postmaster) {
			c->postmaster = 0;
			return lms_err_set(err, LMS_EUNAVAIL, "cluster_failed", NULL,
			                   "PostgreSQL exited while starting; see %s", c->logfile);
		}
		sleep_ms(50);
	}
	return lms_err_set(err, LMS_EUNAVAIL, "cluster_failed", NULL,
	                   "PostgreSQL did not become ready in 60 s; see %s", c->logfile);
}

static int create_database(srv_cluster *c, lms_err *err)
{
	static const char q_exists[] = "SELECT 1 FROM pg_database WHERE datname = 'parlearn'";
	static const char q_create[] = "CREATE DATABASE parlearn ENCODING 'UTF8' TEMPLATE template0";
	PGconn *conn = PQconnectdb(c->admin_conninfo);
	PGresult *r = NULL;
	int rc = LMS_OK;

	if (PQstatus(conn) != CONNECTION_OK) {
		rc = lms_err_set(err, LMS_EUNAVAIL, "cluster_failed", NULL,
		                 "cannot connect to the embedded PostgreSQL");
		goto cleanup;
	}
	r = PQexec(conn, q_exists);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		goto cleanup;
	PQclear(r);
	r = PQexec(conn, q_create);
	/* 42P04: another process created it at the same moment. */
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (!st || strcmp(st, "42P04") != 0)
			rc = lms_err_set(err, LMS_EINTERNAL, "cluster_failed", NULL,
			                 "cannot create the database: %s",
			                 PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
	}
cleanup:
	PQclear(r);
	PQfinish(conn);
	return rc;
}

/* Is pid a postmaster of this cluster: a postgres process of the cluster's user whose
 * command line names our PGDATA? postmaster.pid is writable by that user, so its content
 * alone must never decide whom root signals. */
static bool is_our_postmaster(const srv_cluster *c, pid_t pid)
{
	char path[64], buf[PATH_MAX + 256];
	struct stat st;
	size_t n, i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	if (stat(path, &st) < 0 || st.st_uid != (c->as_other ? c->uid : geteuid()))
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if (!(f = fopen(path, "r")))
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return strncmp(buf, c->pg_bin, strlen(c->pg_bin)) == 0 && strstr(buf, c->pgdata) != NULL;
}

static int take_ownership(srv_cluster *c, lms_err *err)
{
	char pidpath[PATH_MAX + 32];
	struct stat st;
	int rc, i;

	/* A cluster left running without an owner (its owner was killed and the postmaster
	 * did not get the signal): stop it, then start our own child. */
	if (ping(c) == PQPING_OK || ping(c) == PQPING_REJECT) {
		char path[PATH_MAX + 32];
		FILE *f;
		long pid = 0;
		snprintf(path, sizeof(path), "%s/postmaster.pid", c->pgdata);
		if ((f = fopen(path, "r"))) {
			if (fscanf(f, "%ld", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid > 0 && is_our_postmaster(c, (pid_t)pid)) {
			LMS_WARN("stopping an orphaned PostgreSQL (pid %ld) left in this data folder", pid);
			kill((pid_t)pid, SIGINT);
			for (i = 0; i < 600 && kill((pid_t)pid, 0) == 0; i++)
				sleep_ms(50);
		}
	}
	snprintf(pidpath, sizeof(pidpath), "%s/postmaster.pid", c->pgdata);
	if (stat(pidpath, &st) == 0)
		clear_stale_pidfile(c);
	c->postmaster = start_postmaster(c, err);
	if (c->postmaster < 0) {
		c->postmaster = 0;
		return LMS_EINTERNAL;
	}
	if ((rc = wait_ready(c, err)) < 0)
		return rc;
	LMS_INFO("embedded PostgreSQL started (pid %ld), socket in %s", (long)c->postmaster,
	         c->sockdir);
	return create_database(c, err);
}

/* cluster.lock holds "PID KIND" of its owner, for the messages of the processes that wait. */
static void write_owner(int fd, const char *kind)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%ld %s\n", (long)getpid(), kind);

	if (ftruncate(fd, 0) == 0 && pwrite(fd, line, (size_t)n, 0) == n)
		return;
	LMS_WARN("cannot write the owner of the data folder's lock");
}

static bool read_owner(int fd, long *pid, char kind[16])
{
	char line[64];
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);

	if (n <= 0)
		return false;
	line[n] = '\0';
	return sscanf(line, "%ld %15s", pid, kind) == 2;
}

int srv_cluster_open(const srv_cluster_opts *o, srv_cluster **out, lms_err *err)
{
	srv_cluster *c = calloc(1, sizeof(*c));
	char lockpath[PATH_MAX + 32], verpath[PATH_MAX + 32];
	struct stat st;
	int rc, i;

	if (!c)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	c->lock_fd = c->users_fd = -1;
	c->server = o->server;
	if (mkdir(o->data_dir, 0711) < 0 && errno != EEXIST) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL, "cannot create data folder %s: %s",
		                 o->data_dir, strerror(errno));
		goto fail;
	}
	if (!realpath(o->data_dir, c->data)) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL, "data folder %s: %s",
		                 o->data_dir, strerror(errno));
		goto fail;
	}
	snprintf(c->pg_bin, sizeof(c->pg_bin), "%s", o->pg_bin);
	snprintf(c->pgdata, sizeof(c->pgdata), "%s/pg/data", c->data);
	snprintf(c->sockdir, sizeof(c->sockdir), "%s/pg/run", c->data);
	snprintf(c->logfile, sizeof(c->logfile), "%s/pg/postgres.log", c->data);
	if (strlen(c->sockdir) + sizeof("/.s.PGSQL." SOCKET_PORT) > 107) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL,
		                 "the data folder path %s is too long for a unix socket (at most "
		                 "about 80 characters); choose a shorter --data",
		                 c->data);
		goto fail;
	}
	snprintf(c->conninfo, sizeof(c->conninfo),
	         "host=%s port=" SOCKET_PORT " dbname=parlearn user=postgres application_name=parlearn",
	         c->sockdir);
	snprintf(c->admin_conninfo, sizeof(c->admin_conninfo),
	         "host=%s port=" SOCKET_PORT " dbname=postgres user=postgres connect_timeout=5",
	         c->sockdir);

	if (geteuid() == 0) {
		struct passwd *pw = getpwnam(o->pg_user);
		if (!pw) {
			rc = lms_err_set(err, LMS_EINVAL, "pg_user", NULL,
			                 "PostgreSQL cannot run as root and the user '%s' does not "
			                 "exist (install postgresql, or set --pg-user)",
			                 o->pg_user);
			goto fail;
		}
		c->as_other = true;
		c->uid = pw->pw_uid;
		c->gid = pw->pw_gid;
		if (stat(c->data, &st) == 0 && !(st.st_mode & S_IXOTH) && st.st_uid == 0)
			chmod(c->data, (st.st_mode & 07777) | S_IXOTH);
		if ((rc = check_traversable(c, c->data, o->pg_user, err)) < 0)
			goto fail;
	}

	/* Everyone using the cluster holds cluster.users shared; the owner holds
	 * cluster.lock exclusively. */
	snprintf(lockpath, sizeof(lockpath), "%s/cluster.users", c->data);
	c->users_fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	snprintf(lockpath, sizeof(lockpath), "%s/cluster.lock", c->data);
	c->lock_fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->users_fd < 0 || c->lock_fd < 0) {
		rc = lms_err_set(err, LMS_EINVAL, "data_folder", NULL, "cannot open lock files in %s: %s",
		                 c->data, strerror(errno));
		goto fail;
	}
	/* A CLI command marks itself a user before looking for the owner, so an owner that is
	 * about to stop waits for it. A server does so only once it owns the cluster: waiting
	 * for a CLI owner while holding the mark would make that owner wait for us. */
	if (!o->server && flock(c->users_fd, LOCK_SH) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "flock: %s", strerror(errno));
		goto fail;
	}

	/* A server waits for a CLI owner to finish, and refuses at once when the owner is
	 * another server; a CLI command uses whoever runs it. */
	for (i = 0;; i++) {
		long owner_pid = 0;
		char owner_kind[16] = "";
		if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (o->server && read_owner(c->lock_fd, &owner_pid, owner_kind) &&
		    strcmp(owner_kind, "serve") == 0 && kill((pid_t)owner_pid, 0) == 0) {
			rc = lms_err_set(err, LMS_ECONFLICT, "data_folder_busy", NULL,
			                 "another parlearn serve (pid %ld) is using the data folder %s; "
			                 "stop it first, or use another --data",
			                 owner_pid, c->data);
			goto fail;
		}
		if (!o->server) {
			close(c->lock_fd);
			c->lock_fd = -1;
			if (ping(c) != PQPING_OK && (rc = wait_ready(c, err)) < 0)
				goto fail;
			*out = c;
			return LMS_OK;
		}
		if (i == 0)
			LMS_INFO("another parlearn process owns the database in %s; waiting", c->data);
		if (i >= 600) {
			rc = lms_err_set(err, LMS_ECONFLICT, "data_folder_busy", NULL,
			                 "another parlearn process (a server?) keeps the database in %s; "
			                 "stop it first, or use another --data",
			                 c->data);
			goto fail;
		}
		sleep_ms(100);
	}

	write_owner(c->lock_fd, o->server ? "serve" : "cli");
	if (o->server && flock(c->users_fd, LOCK_SH) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "flock: %s", strerror(errno));
		goto fail;
	}
	if ((rc = make_dirs(c, err)) < 0)
		goto fail;
	snprintf(verpath, sizeof(verpath), "%s/PG_VERSION", c->pgdata);
	if (stat(verpath, &st) < 0) {
		if ((rc = run_initdb(c, err)) < 0)
			goto fail;
	}
	if ((rc = take_ownership(c, err)) < 0)
		goto fail;
	*out = c;
	return LMS_OK;
fail:
	srv_cluster_close(c);
	return rc;
}

const char *srv_cluster_conninfo(const srv_cluster *c)
{
	return c->conninfo;
}

bool srv_cluster_alive(srv_cluster *c)
{
	int status;

	if (c->postmaster <= 0)
		return true;
	if (waitpid(c->postmaster, &status, WNOHANG) == c->postmaster) {
		LMS_ERROR("the embedded PostgreSQL (pid %ld) exited; see %s", (long)c->postmaster,
		          c->logfile);
		c->postmaster = 0;
		return false;
	}
	return true;
}

int srv_cluster_restart(srv_cluster *c, lms_err *err)
{
	if (c->lock_fd < 0 || c->postmaster > 0)
		return LMS_OK;
	LMS_WARN("restarting the embedded PostgreSQL");
	return take_ownership(c, err);
}

static void stop_postmaster(srv_cluster *c)
{
	int status, i;

	if (c->postmaster <= 0)
		return;
	/* A CLI owner lets the other users of the cluster finish first. */
	if (!c->server && c->users_fd >= 0) {
		for (i = 0; i < 600 && flock(c->users_fd, LOCK_EX | LOCK_NB) < 0; i++)
			sleep_ms(100);
	}
	kill(c->postmaster, SIGINT); /* fast shutdown: clean, without waiting for clients */
	for (i = 0; i < 600; i++) {
		if (waitpid(c->postmaster, &status, WNOHANG) == c->postmaster)
			goto done;
		sleep_ms(50);
	}
	LMS_WARN("PostgreSQL did not stop in 30 s; sending SIGQUIT");
	kill(c->postmaster, SIGQUIT);
	waitpid(c->postmaster, &status, 0);
done:
	LMS_INFO("embedded PostgreSQL stopped");
	c->postmaster = 0;
}

void srv_cluster_close(srv_cluster *c)
{
	if (!c)
		return;
	stop_postmaster(c);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	if (c->users_fd >= 0)
		close(c->users_fd);
	free(c);
}
