"""Querysets of one argument compiled to SQL once per database connection, then run with only that
argument bound: the item page's own queries without the ORM building their SQL on every page."""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)
# A value no real row holds (ids are positive), so the one parameter that carries it is known.
INT_SENTINEL = -987_654_321


@dataclass(frozen=True)
class _Plan:
    """One queryset's SQL and what turns its rows into what the queryset would have returned."""

    sql: str
    params: list[Any]
    slot: int  # the index in `params` of the bound argument
    compiler: SQLCompiler
    converters: dict[int, Any]
    models: bool  # model instances, else tuples (values_list)
    start: int  # the model's own columns: row[start:end]
    end: int
    init_list: list[str]
    populators: list[Any]
    annotations: dict[str, int]


class Compiled(Generic[M]):
    """`build(value)` compiled once per connection (each thread has its own) and reused: the same
    rows, converted and materialised as Django's own iterables do it (model instances with their
    select_related objects and annotations, or values_list tuples), only the SQL is not built
    again. `build` must return a queryset whose SQL depends on nothing but `value`, compared to
    `bound` (a field of the queryset's model) exactly once: no clock, language or visitor."""

    def __init__(
        self, build: Callable[[Any], QuerySet[M, Any]], bound: Field, sentinel: Any = INT_SENTINEL
    ) -> None:
        self._build, self._bound, self._sentinel = build, bound, sentinel
        self._plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Plan] = (
            weakref.WeakKeyDictionary()
        )

    def objects(self, value: Any, parent: Model | None = None) -> list[M]:
        """The queryset's model instances for `value`; with `parent`, each instance's foreign
        key `bound` already holds it, as a related manager's queryset (`item.skus.all()`) does."""
        connection, plan = self._connection_and_plan()
        if not plan.models:
            raise TypeError("a values_list queryset: use rows()")
        db = connection.alias
        objects = []
        for row in self._run(connection, plan, value):
            obj = plan.compiler.klass_info["model"].from_db(
                db, plan.init_list, row[plan.start : plan.end]
            )
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations.items():
                setattr(obj, name, row[position])
            if parent is not None:
                self._bound.set_cached_value(obj, parent)  # type: ignore[attr-defined]
            objects.append(obj)
        return objects

    def rows(self, value: Any) -> list[tuple]:
        """The rows of a values_list queryset for `value`, as tuples."""
        connection, plan = self._connection_and_plan()
        if plan.models:
            raise TypeError("a queryset of model instances: use objects()")
        return [tuple(row) for row in self._run(connection, plan, value)]

    def _connection_and_plan(self) -> tuple[BaseDatabaseWrapper, _Plan]:
        connection = connections[router.db_for_read(self._bound.model)]
        plan = self._plans.get(connection)
        if plan is None:
            plan = self._plans[connection] = self._compile(connection)
        return connection, plan

    def _run(self, connection: BaseDatabaseWrapper, plan: _Plan, value: Any) -> list:
        params = list(plan.params)
        params[plan.slot] = self._bound.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        compiler = plan.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if plan.converters:
            return list(compiler.apply_converters(rows, plan.converters))
        return rows

    def _compile(self, connection: BaseDatabaseWrapper) -> _Plan:
        # Django's own private state, read as its iterables read it.
        queryset: Any = self._build(self._sentinel)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("prefetch_related and related managers are not compiled")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # fills select, klass_info and annotation_col_map
        params = list(params)
        bound = self._bound.get_db_prep_value(self._sentinel, connection)
        if params.count(bound) != 1:
            raise ValueError(f"the query must compare {self._bound} to its argument once: {sql}")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("composite fields are not compiled")
        plan = {
            "sql": sql,
            "params": params,
            "slot": params.index(bound),
            "compiler": compiler,
            "converters": compiler.get_converters(fields),
        }
        if queryset._iterable_class is ValuesListIterable:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if list(queryset._fields) != names:  # Django would reorder the columns
                raise ValueError("name every column of a values_list, in the select's order")
            return _Plan(**plan, models=False, start=0, end=0, init_list=[], populators=[],
                         annotations={})  # fmt: skip
        if queryset._iterable_class is not ModelIterable:
            raise ValueError("only model instances and values_list tuples are compiled")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Plan(
            **plan,
            models=True,
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            # The stubs describe Django 6's signature (a fetch mode); 5.2 takes three.
            populators=get_related_populators(klass_info, select, connection.alias),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
        )
