/* cli_demo.c — `parlearn demo-data`: a few real-shaped units of Ho Chi Minh City (before
 * and after the 1 July 2025 reform, with successor links), a few people, and one account
 * per role with a fresh random password, printed once. Running it again keeps what exists
 * and gives the demo accounts new passwords. */
#include "cli.h"

#include "lms/auth.h"

#include <stdio.h>
#include <string.h>

static const lms_unit_input demo_units[] = {
	{ "HCM", "Thành phố Hồ Chí Minh", "city", NULL, "1976-07-02", NULL },
	{ "SNV", "Sở Nội vụ", "department", "HCM", "1976-07-02", NULL },
	{ "SNV-CCHC", "Phòng Cải cách hành chính", "office", "SNV", "2008-01-01", NULL },
	{ "SNV-TCCB", "Phòng Tổ chức cán bộ", "office", "SNV", "2008-01-01", NULL },
	{ "STP", "Sở Tư pháp", "department", "HCM", "1976-07-02", NULL },
	{ "Q1", "Quận 1", "district", "HCM", "1976-07-02", "2025-06-30" },
	{ "Q1-BENNGHE", "Phường Bến Nghé", "ward", "Q1", "1976-07-02", "2025-06-30" },
	{ "Q1-DAKAO", "Phường Đa Kao", "ward", "Q1", "1976-07-02", "2025-06-30" },
	{ "Q1-TANDINH", "Phường Tân Định", "ward", "Q1", "1976-07-02", "2025-06-30" },
	{ "P-SAIGON", "Phường Sài Gòn", "ward", "HCM", "2025-07-01", NULL },
	{ "P-TANDINH", "Phường Tân Định", "ward", "HCM", "2025-07-01", NULL },
	{ "P-BENTHANH", "Phường Bến Thành", "ward", "HCM", "2025-07-01", NULL },
};

static const char *const demo_successors[][2] = {
	{ "Q1-BENNGHE", "P-SAIGON" }, { "Q1-DAKAO", "P-SAIGON" },   { "Q1-DAKAO", "P-TANDINH" },
	{ "Q1-TANDINH", "P-TANDINH" }, { "Q1", "P-SAIGON" },        { "Q1", "P-TANDINH" },
	{ "Q1", "P-BENTHANH" },
};

/* Identification numbers here are made up (079 is the city's province code). */
static const lms_person_input demo_people[] = {
	{ "NV-0001", "079190000101", "Trần Thị Bích", "SNV-CCHC", "Chuyên viên", false, LMS_PAR_DEDICATED, "2020-03-01" },
	{ "NV-0002", "079185000102", "Lê Văn Ánh", "SNV-CCHC", "Trưởng phòng", true, LMS_PAR_DEDICATED, "2018-01-01" },
	{ "NV-0003", "079178000103", "Đặng Minh Châu", "SNV", "Phó Giám đốc Sở", true, LMS_PAR_CONCURRENT, "2019-06-01" },
	{ "NV-0004", "079192000104", "Nguyễn Thị Ân", "STP", "Chuyên viên", false, LMS_PAR_CONCURRENT, "2021-09-01" },
	{ "NV-0005", "079195000105", "Âu Dương Phong", "P-SAIGON", "Công chức Văn phòng - Thống kê", false, LMS_PAR_CONCURRENT, "2025-07-01" },
	{ "NV-0006", "079188000106", "Hoàng Văn Em", "P-BENTHANH", "Chủ tịch UBND phường", true, LMS_PAR_NONE, "2025-07-01" },
	{ "NV-0007", "079187000107", "Phạm Thu Hà", "SNV-TCCB", "Chuyên viên tổ chức cán bộ", false, LMS_PAR_NONE, "2016-04-01" },
};

static const struct {
	const char *username, *name, *person, *scope;
	lms_role_kind role;
} demo_accounts[] = {
	{ "hocvien", "Trần Thị Bích", "NV-0001", NULL, LMS_ROLE_LEARNER },
	{ "giangvien", "Giảng viên Học viện Cán bộ", NULL, "HCM", LMS_ROLE_TRAINER },
	{ "nhansu", "Phạm Thu Hà", "NV-0007", "SNV", LMS_ROLE_HR_OFFICER },
	{ "quantri", "Quản trị hệ thống", NULL, NULL, LMS_ROLE_ADMIN },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int ensure_account(cli_ctx *c, size_t i, const char *password, const lms_auth_policy *p)
{
	char hash[LMS_PASSWORD_HASH_MAX];
	lms_user u;
	lms_user_input in;
	int64_t id;
	int rc;

	if ((rc = lms_password_hash(p, password, hash, sizeof(hash), &c->err)) < 0)
		return rc;
	rc = c->store->ops->user_by_username(c->store, demo_accounts[i].username, c->arena, &u,
	                                     &c->err);
	if (rc == LMS_OK) {
		id = u.id;
		rc = c->store->ops->user_set_password(c->store, id, hash, &c->err);
	} else if (rc == LMS_ENOTFOUND) {
		in = (lms_user_input){ demo_accounts[i].username, demo_accounts[i].name, hash,
			               demo_accounts[i].person };
		rc = c->store->ops->user_create(c->store, &in, &id, &c->err);
	}
	if (rc < 0)
		return rc;
	if (demo_accounts[i].role != LMS_ROLE_LEARNER && demo_accounts[i].person &&
	    (rc = c->store->ops->user_add_role(c->store, id, LMS_ROLE_LEARNER, NULL, &c->err)) < 0)
		return rc;
	return c->store->ops->user_add_role(c->store, id, demo_accounts[i].role,
	                                    demo_accounts[i].scope, &c->err);
}

int cmd_demo_data(int argc, char **argv)
{
	const srv_opt own[] = { { NULL, NULL, NULL, NULL, NULL, NULL } };
	char passwords[N(demo_accounts)][32];
	lms_auth_policy pol;
	lms_unit unit;
	cli_ctx c;
	int64_t id;
	size_t i;
	int rc = 0, created = 0;

	if ((rc = cli_begin(&c, argc, argv, 1, own, "parlearn demo-data [--data DIR | --db URI]",
	                    "Loads demo units, people and one account per role, and prints the "
	                    "accounts' new passwords.")) != 0)
		return rc == 1 ? 0 : rc;
	lms_auth_policy_default(&pol);
	for (i = 0; i < N(demo_units); i++) {
		rc = c.store->ops->unit_find(c.store, demo_units[i].code, c.arena, &unit, &c.err);
		if (rc == LMS_ENOTFOUND) {
			if ((rc = c.store->ops->unit_create(c.store, &demo_units[i], &id, &c.err)) < 0)
				goto done;
			created++;
		} else if (rc < 0) {
			goto done;
		}
	}
	for (i = 0; i < N(demo_successors); i++)
		if ((rc = c.store->ops->unit_add_successor(c.store, demo_successors[i][0],
		                                            demo_successors[i][1], &c.err)) < 0)
			goto done;
	for (i = 0; i < N(demo_people); i++) {
		rc = c.store->ops->person_create(c.store, &demo_people[i], &id, &c.err);
		if (rc == LMS_ECONFLICT)
			continue; /* there already */
		if (rc < 0)
			goto done;
		created++;
	}
	for (i = 0; i < N(demo_accounts); i++) {
		char token[24];
		if ((rc = lms_random_token(9, token, sizeof(token))) < 0)
			goto done;
		snprintf(passwords[i], sizeof(passwords[i]), "Demo-%s", token);
		if ((rc = ensure_account(&c, i, passwords[i], &pol)) < 0)
			goto done;
	}
	printf("demo data loaded (%d new units and people)\n\n", created);
	printf("  %-12s %-12s %-18s %s\n", "role", "username", "password", "reach");
	for (i = 0; i < N(demo_accounts); i++)
		printf("  %-12s %-12s %-18s %s\n", lms_role_name(demo_accounts[i].role),
		       demo_accounts[i].username, passwords[i],
		       demo_accounts[i].scope ? demo_accounts[i].scope
		       : demo_accounts[i].role == LMS_ROLE_ADMIN ? "all units" : "-");
	printf("\nThese passwords are shown once; run demo-data again for new ones.\n");
	rc = 0;
done:
	return cli_end(&c, rc);
}
