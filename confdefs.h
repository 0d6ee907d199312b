/* confdefs.h */
#define PACKAGE_NAME "easyshifts"
#define PACKAGE_TARNAME "easyshifts"
#define PACKAGE_VERSION "0.1.0"
#define PACKAGE_STRING "easyshifts 0.1.0"
#define PACKAGE_BUGREPORT ""
#define PACKAGE_URL ""
#define PACKAGE "easyshifts"
#define VERSION "0.1.0"
