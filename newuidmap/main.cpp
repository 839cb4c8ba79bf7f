// newuidmap: write the uid map of a process in a new user namespace.
#include "helper.hpp"

int main(int argc, char** argv)
{
    return idmap::run_helper(idmap::IdKind::uid, argc, argv);
}
