#!/bin/sh
# The container's command: busybox httpd on port 8080, logging each request. As PID 1 a process
# without a SIGTERM handler ignores SIGTERM (and Docker or the kubelet would wait 10-30 s to kill
# it): this shell handles it and stops httpd at once.
VERSION=$(cat /etc/webapp/VERSION)
export VERSION
httpd -f -v -p 8080 -h /www &
trap 'kill $! 2>/dev/null' TERM INT
wait
