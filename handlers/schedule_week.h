#ifndef ES_HANDLERS_SCHEDULE_WEEK_H
#define ES_HANDLERS_SCHEDULE_WEEK_H

/*
 * SQL shared by the week routes (manager_schedule.c) and the availability
 * routes (enhanced_schedule.c). A week is named by any day inside it (the
 * date parameter $1); its first day is es_week_start($1, settings.week_start).
 * SCHEDULE_WEEK_ROW is a one-row FROM item `w` with the columns of
 * schedule_weeks (all NULL but week_start while the week has no row);
 * SCHEDULE_WEEK_FIELDS are the JSON fields every week answer starts with,
 * read from such a `w`: week_start, week_end (its last day), published,
 * published_at, request_window {opens_at, closes_at, open}, preferences.
 */
#define SCHEDULE_WEEK_ROW                                                                   \
	"(SELECT ws AS week_start, sw.published, sw.published_at, sw.request_opens_at,"     \
	"        sw.request_closes_at, sw.preferences"                                      \
	"   FROM es_week_start($1::date, es_first_weekday()) AS ws"                         \
	"   LEFT JOIN schedule_weeks sw ON sw.week_start = ws) w"
#define SCHEDULE_WEEK_FIELDS                                                                \
	"'week_start', w.week_start, 'week_end', w.week_start + 6,"                         \
	" 'published', coalesce(w.published, false), 'published_at', w.published_at,"       \
	" 'request_window', json_build_object('opens_at', w.request_opens_at,"              \
	"     'closes_at', w.request_closes_at,"                                            \
	"     'open', coalesce(now() >= w.request_opens_at AND now() < w.request_closes_at, false)),"\
	" 'preferences', coalesce(w.preferences, '{}')"

#endif
