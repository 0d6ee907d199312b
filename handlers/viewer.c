#include "handlers/viewer.h"

#include "auth/auth.h"
#include "http/params.h"
#include "http/request.h"

static const char *const words[] = {
	[VIEWER_MANAGER] = "manager",
	[VIEWER_EMPLOYEE] = "employee",
	[VIEWER_CLIENT] = "client",
};

enum viewer_kind viewer_kind(const struct request *req)
{
	switch (req->user->role) {
	case ROLE_ADMIN:
	case ROLE_MANAGER:
		return VIEWER_MANAGER;
	case ROLE_EMPLOYEE:
		return VIEWER_EMPLOYEE;
	case ROLE_CLIENT:
	case ROLE_NONE:
		break;
	}
	return VIEWER_CLIENT;   /* the narrowest: a client sees only through a company */
}

void viewer_params(struct request *req, const char **params)
{
	params[0] = words[viewer_kind(req)];
	params[1] = param_text(req, req->user->id);
}

const struct stmt *viewer_stmt(const struct request *req, const struct stmt *stmts)
{
	return &stmts[viewer_kind(req)];
}
