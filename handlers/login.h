#ifndef ES_HANDLERS_LOGIN_H
#define ES_HANDLERS_LOGIN_H

struct request;

/* POST /auth/login {username, password, bearer?}: session cookie + {user, csrf_token}. */
int login_password(struct request *req);
/* POST /auth/logout: ends the session server-side, clears the cookie. */
int login_logout(struct request *req);
/* GET /auth/me: the user, certifications, csrf_token. */
int login_me(struct request *req);
/* POST /auth/signup {username, password, name, email?}: a pending employee. */
int login_signup(struct request *req);

#endif
