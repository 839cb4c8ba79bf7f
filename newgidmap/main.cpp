// newgidmap: write the gid map of a process in a new user namespace
// (and deny setgroups when only the caller's own gid is mapped).
#include "helper.hpp"

int main(int argc, char** argv)
{
    return idmap::run_helper(idmap::IdKind::gid, argc, argv);
}
