#ifndef ES_HANDLERS_JOB_JSON_H
#define ES_HANDLERS_JOB_JSON_H

/*
 * The API's job object, from a jobs row named j: what the job routes answer
 * and what the audit log keeps of a job (also when a client's deletion
 * takes its jobs along).
 */
#define JOB_JSON                                                                         \
	"json_build_object('id', j.id, 'client_company_id', j.client_company_id,"         \
	" 'client_name', (SELECT c.name FROM client_companies c"                          \
	"                  WHERE c.id = j.client_company_id),"                            \
	" 'name', j.name, 'description', j.description, 'venue_name', j.venue_name,"      \
	" 'venue_address', j.venue_address, 'venue_contact', j.venue_contact,"            \
	" 'estimated_start', j.estimated_start, 'estimated_end', j.estimated_end,"        \
	" 'active', j.active, 'created_by', j.created_by, 'created_at', j.created_at,"    \
	" 'updated_at', j.updated_at)"

#endif
