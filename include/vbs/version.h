/* SPDX-License-Identifier: MIT */
/* OpenVBS release identity, shared by every component and reported by tools. */
#ifndef VBS_VERSION_H
#define VBS_VERSION_H

#define VBS_VERSION_MAJOR 0
#define VBS_VERSION_MINOR 1
#define VBS_VERSION_PATCH 0
#define VBS_VERSION_STRING "0.1.0"

#endif
